// Apollo Client against bff-mobile, as a native app and its CI use it: the CI generates the persisted query manifest
// from the app's .graphql files (@apollo/generate-persisted-query-manifest, config in
// persisted-query-manifest.config.json) and publishes it for an app version with ./atrium operations publish; the app
// sends only operation ids (@apollo/client's persisted-queries link, ids from the manifest through
// @apollo/persisted-query-lists) through the edge with its API key and its name and version. Checks that real data
// comes back and that an operation missing from the manifest is refused (PERSISTED_QUERY_NOT_IN_LIST). The published
// version is retired at the end, so the registry's checks do not keep protecting a test app.
// Needs BASE (the edge), MOBILE_API_KEY; ATRIUM (the launcher) defaults to ../atrium. Exit code 1 on any failure.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { BatchHttpLink } from "@apollo/client/link/batch-http";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";

const here = dirname(fileURLToPath(import.meta.url));
const base = process.env.BASE || "http://127.0.0.1:8080";
const apiKey = process.env.MOBILE_API_KEY || "atrium-demo-ios-key";
const launcher = process.env.ATRIUM || join(here, "..", "atrium");
const app = { name: "ios", version: "5.3.0-e2e" };   // above config/bff/mobile.yaml's min_versions.ios
const uri = `${base}/mobile/graphql`;

const results = [];
function check(name, ok, detail) {
  results.push({ name, ok });
  console.log(`${ok ? "PASS" : "FAIL"} apollo: ${name}${detail ? " — " + detail : ""}`);
  return ok;
}

// The error codes of a failed Apollo Client call: GraphQL errors (CombinedGraphQLErrors), or a non-2xx answer whose
// body Apollo Client did not parse (ServerError).
function codesOf(error) {
  let errors = error?.errors;
  if (!errors && typeof error?.bodyText === "string") {
    try { errors = JSON.parse(error.bodyText).errors; } catch { errors = undefined; }
  }
  return (errors || []).map(e => e?.extensions?.code).filter(Boolean);
}

// Every request Apollo Client sends, as the server sees it (method and JSON body).
const sent = [];
async function recordingFetch(input, init = {}) {
  sent.push({ method: init.method || "GET", body: typeof init.body === "string" ? JSON.parse(init.body) : null });
  return fetch(input, init);
}

function client(persistedQueries) {
  const http = new HttpLink({ uri, fetch: recordingFetch, headers: { "x-api-key": apiKey } });
  return new ApolloClient({
    link: persistedQueries ? new PersistedQueryLink(persistedQueries).concat(http) : http,
    cache: new InMemoryCache(),
    clientAwareness: app,   // apollographql-client-name / -version: the app version the operations are registered for
    defaultOptions: { query: { fetchPolicy: "no-cache" } },
  });
}

// 1. the app's CI: manifest from the .graphql files, published for the app version (build/ is not in git: a fresh
// clone has none, and the generator does not create it)
mkdirSync(join(here, "build"), { recursive: true });
execFileSync(join(here, "node_modules", ".bin", "generate-persisted-query-manifest"),
  ["--config", "persisted-query-manifest.config.json"], { cwd: here, stdio: ["ignore", "ignore", "inherit"] });
const manifestFile = join(here, "build", "persisted-query-manifest.json");
const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
check("manifest generated from e2e/mobile-operations/*.graphql", manifest.operations.length >= 2,
  manifest.operations.map(o => o.name).join(", "));
try {
  execFileSync(launcher, ["operations", "publish", "--client", app.name, "--version", app.version, manifestFile],
    { stdio: ["ignore", "ignore", "inherit"] });   // the registry's refusal, if any, goes to stderr
  check(`manifest published for ${app.name} ${app.version}`, true);
} catch (e) {
  check(`manifest published for ${app.name} ${app.version}`, false, `./atrium operations publish exited ${e.status}`);
  process.exit(1);
}

const byName = Object.fromEntries(manifest.operations.map(o => [o.name, o]));
const appClient = client({ generateHash: generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest }).generateHash });
const operation = name => gql(readFileSync(join(here, "mobile-operations", `${name}.graphql`), "utf8"));

try {
  // 2. the app: HomeFeed by id. bff-mobile follows the registry (registry.poll_ms), so until it has seen the new
  // version it answers APP_UPDATE_REQUIRED; wait for that, bounded.
  let feed;
  for (const deadline = Date.now() + 20000; ;) {
    try {
      feed = await appClient.query({ query: operation("HomeFeed"), variables: { first: 2 } });
      break;
    } catch (e) {
      if (!codesOf(e).includes("APP_UPDATE_REQUIRED") || Date.now() > deadline) throw e;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }
  const page1 = feed.data.homeFeed;
  const first = sent[sent.length - 1].body;
  check("the app sends the manifest's id, not the document",
    first?.extensions?.persistedQuery?.sha256Hash === byName.HomeFeed.id && first.query === undefined,
    first?.extensions?.persistedQuery?.sha256Hash);
  check("HomeFeed (a bff-mobile field planned by the router) returns real products",
    page1.items.length === 2 && page1.items.every(p => p.name && p.price > 0 && /^https?:\/\//.test(p.thumbnailUrl)),
    page1.items.map(p => `${p.name} ${p.thumbnailUrl}`).join("; "));
  const page2 = (await appClient.query({
    query: operation("HomeFeed"), variables: { first: 2, after: page1.endCursor } })).data.homeFeed;
  check("HomeFeed's cursor gives the next page", page1.hasNextPage && page2.items.length > 0
    && !page2.items.some(p => page1.items.some(q => q.upc === p.upc)), page2.items.map(p => p.name).join(", "));

  const list = (await appClient.query({ query: operation("ProductList"), variables: { first: 3 } })).data.topProducts;
  check("ProductList joins products, inventory and reviews", list.length === 3
    && list.every(p => p.name && typeof p.inStock === "boolean")
    && list.some(p => p.reviews?.some(r => r.body && r.author?.username)),
    list.map(p => `${p.name} (${p.reviews?.length ?? 0} reviews)`).join(", "));

  // 3. batching as Apollo's BatchHttpLink does it: two operations in one POST (a JSON array of their ids), answered
  // in one array; bff-mobile sends them on to the router as one batched request
  const generateHash = generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest }).generateHash;
  const batching = new ApolloClient({
    link: new PersistedQueryLink({ generateHash }).concat(new BatchHttpLink({
      uri, fetch: recordingFetch, headers: { "x-api-key": apiKey }, batchMax: 10, batchInterval: 20 })),
    cache: new InMemoryCache(),
    clientAwareness: app,
    defaultOptions: { query: { fetchPolicy: "no-cache" } },
  });
  const beforeBatch = sent.length;
  const [batchedFeed, batchedList] = await Promise.all([
    batching.query({ query: operation("HomeFeed"), variables: { first: 2 } }),
    batching.query({ query: operation("ProductList"), variables: { first: 3 } })]);
  const batchRequests = sent.slice(beforeBatch);
  check("BatchHttpLink: two operations in one POST by id, both answered", batchRequests.length === 1
    && Array.isArray(batchRequests[0].body) && batchRequests[0].body.length === 2
    && batchRequests[0].body.every(b => b.query === undefined && b.extensions?.persistedQuery?.sha256Hash)
    && batchedFeed.data.homeFeed.items.length === 2 && batchedList.data.topProducts.length === 3,
    `${batchRequests.length} request(s) of ${batchRequests.map(r => Array.isArray(r.body) ? r.body.length : 1).join(",")}`
    + ` operation(s); ${batchedList.data.topProducts.map(p => p.name).join(", ")}`);

  // 4. an operation the app never published: its id (sha256 of the document, as an APQ client computes it) is
  // refused, and Apollo's link does not retry it with the text.
  const before = sent.length;
  const rogue = client({ sha256: text => createHash("sha256").update(text).digest("hex") });
  try {
    await rogue.query({ query: gql`query NotPublished { topProducts(first: 1) { upc name } }` });
    check("an operation not in the manifest is refused", false, "it was answered");
  } catch (e) {
    check("an operation not in the manifest is refused with PERSISTED_QUERY_NOT_IN_LIST",
      codesOf(e).includes("PERSISTED_QUERY_NOT_IN_LIST") && sent.length === before + 1,
      `${codesOf(e).join(",") || e.message}, ${sent.length - before} request(s)`);
  }

  // 5. free text, as a client without the persisted-queries link: trusted operations only
  try {
    await client(null).query({ query: operation("ProductList"), variables: { first: 1 } });
    check("free text is refused", false, "it was answered");
  } catch (e) {
    check("free text is refused with PERSISTED_QUERY_ID_REQUIRED", codesOf(e).includes("PERSISTED_QUERY_ID_REQUIRED"),
      codesOf(e).join(",") || e.message);
  }
} catch (e) {
  check("Apollo Client flow", false, `${e.name}: ${e.message.split("\n")[0]} ${codesOf(e).join(",")}`);
} finally {
  try {
    execFileSync(launcher, ["operations", "retire", "--client", app.name, "--version", app.version],
      { stdio: ["ignore", "ignore", "inherit"] });
  } catch {
    check(`retire ${app.name} ${app.version}`, false);
  }
}
const failed = results.filter(r => !r.ok).length;
console.log(`apollo: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
