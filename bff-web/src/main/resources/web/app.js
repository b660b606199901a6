// The web BFF demo: no framework, no build step. Reads the session from /web/auth/session (which also hands out the
// CSRF token), then asks bff-web for one product page. Everything is rendered with textContent, never parsed as HTML.
"use strict";

const PRODUCT_PAGE = `query ProductPage($upc: ID!, $locale: String!) {
  productPage(upc: $upc) {
    product { upc name priceLabel(locale: $locale) inStock reviews { body author { username } } }
    related { upc name priceLabel(locale: $locale) }
  }
}`;

let csrfToken = null;

function $(id) { return document.getElementById(id); }

function currentUpc() {
  return new URLSearchParams(location.search).get("upc") || "1";
}

async function loadSession() {
  const response = await fetch("/web/auth/session", { credentials: "same-origin" });
  const session = await response.json();
  csrfToken = session.authenticated ? session.csrf_token : null;
  $("who").textContent = session.authenticated ? `Signed in as ${session.subject}` : "Not signed in";
  $("login").hidden = session.authenticated || !session.login_enabled;
  $("logout").hidden = !session.authenticated;
  $("login").href = "/web/auth/login?return_to=" + encodeURIComponent(location.pathname + location.search);
}

async function graphql(query, variables) {
  const headers = { "Content-Type": "application/json", "Accept": "application/graphql-response+json" };
  if (csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch("/web/graphql", {
    method: "POST", credentials: "same-origin", headers,
    body: JSON.stringify({ query, variables, operationName: "ProductPage" }),
  });
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : { errors: [{ message: await response.text() }] };
  if (body.detail) body.errors = [{ message: body.detail }]; // a problem document
  return body;
}

function item(text) {
  const li = document.createElement("li");
  li.textContent = text;
  return li;
}

function productLink(product) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = "/web/?upc=" + encodeURIComponent(product.upc);
  a.textContent = `${product.name} (${product.priceLabel ?? "—"})`;
  li.appendChild(a);
  return li;
}

async function loadProduct() {
  const status = $("status");
  const result = await graphql(PRODUCT_PAGE, { upc: currentUpc(), locale: navigator.language || "en-US" });
  const page = result.data && result.data.productPage;
  if (!page) {
    status.className = "error";
    status.textContent = "Could not load the product: " + (result.errors || []).map(e => e.message).join("; ");
    return;
  }
  const p = page.product;
  $("name").textContent = p.name;
  $("price").textContent = p.priceLabel ?? "price unknown";
  $("stock").textContent = p.inStock ? "in stock" : "out of stock";
  $("reviews").replaceChildren(...(p.reviews || []).map(r => item(`“${r.body}” — ${r.author ? r.author.username : "anonymous"}`)));
  $("related").replaceChildren(...page.related.map(productLink));
  $("product").hidden = false;
  status.className = "";
  status.textContent = result.errors ? "Partly loaded: " + result.errors.map(e => e.message).join("; ") : "Loaded";
}

async function logout() {
  const response = await fetch("/web/auth/logout", {
    method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrfToken || "" },
  });
  const body = await response.json();
  location.assign(body.redirect || "/web/");
}

document.addEventListener("DOMContentLoaded", async () => {
  $("logout").addEventListener("click", logout);
  try {
    await loadSession();
    await loadProduct();
  } catch (e) {
    $("status").className = "error";
    $("status").textContent = "Error: " + e.message;
  }
});
