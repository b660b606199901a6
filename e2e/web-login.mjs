// Headless Chromium on the web demo page: signs in at the development OpenID provider, reads the product page that
// bff-web rendered, signs out. Needs BASE (the edge) and CHROMIUM (the browser binary). Exit code 1 on any failure.
import { chromium } from "playwright-core";

const base = process.env.BASE || "http://127.0.0.1:8080";
const user = "e2e-" + Math.random().toString(36).slice(2, 8);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox"] });
const results = [];
function check(name, ok, detail) {
  results.push({ name, ok });
  console.log(`${ok ? "PASS" : "FAIL"} browser: ${name}${detail ? " — " + detail : ""}`);
}
try {
  const page = await browser.newPage();
  await page.goto(`${base}/web/?upc=1`);
  await page.getByTestId("product-name").waitFor({ timeout: 30000 });
  check("anonymous visitor sees the public product page", true, await page.getByTestId("product-name").textContent());
  check("anonymous visitor is offered a sign-in", await page.getByTestId("login").isVisible());

  await page.getByTestId("login").click();
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[type="submit"]').click();
  await page.waitForURL(`${base}/web/**`, { timeout: 30000 });
  await page.getByTestId("who").filter({ hasText: `Signed in as ${user}` }).waitFor({ timeout: 30000 });
  check("login through the provider lands signed in", true, user);

  const cookies = await page.context().cookies(base);
  const session = cookies.find(c => c.name === "__Host-atrium-session");
  check("session cookie is HttpOnly, Secure, SameSite=Strict",
    !!session && session.httpOnly && session.secure && session.sameSite === "Strict");
  check("no token reaches the page's storage",
    !(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie))
      .includes("eyJ"));

  await page.getByTestId("product").waitFor({ state: "visible", timeout: 30000 });
  const name = (await page.getByTestId("product-name").textContent()) || "";
  const price = (await page.getByTestId("product-price").textContent()) || "";
  const related = await page.getByTestId("related").locator("li").count();
  check("signed-in product page rendered through bff-web", name.length > 0 && related > 0,
    `${name} ${price}, ${related} related`);
  check("priceLabel (a bff-web field via @requires) is formatted", /\d/.test(price), price);

  await page.getByTestId("logout").click();
  await page.waitForURL(`${base}/web/**`, { timeout: 30000 });
  await page.getByTestId("who").filter({ hasText: "Not signed in" }).waitFor({ timeout: 30000 });
  check("logout ends the session", true);
} catch (e) {
  const pages = browser.contexts().flatMap(c => c.pages());
  const where = pages.length ? pages[0].url() + " :: " + (await pages[0].locator("body").innerText()).slice(0, 300) : "";
  check("browser flow", false, e.message.split("\n")[0] + " at " + where);
} finally {
  await browser.close();
}
const failed = results.filter(r => !r.ok).length;
console.log(`browser: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
