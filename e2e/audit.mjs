// graphql-http's audit (the GraphQL over HTTP spec's MUST/SHOULD/MAY checks) against the router (with a token of the
// development provider, through the edge) and both BFFs. Prints pass/fail counts of MUST, SHOULD and MAY per endpoint;
// exit code 1 on a MUST failure (or when the free-text bff-mobile is missing).
import { auditServer } from "graphql-http";

const base = process.env.BASE || "http://127.0.0.1:8080";
const token = process.env.TOKEN;
const mobileKey = process.env.MOBILE_API_KEY;
function withHeaders(extra) {
  return (input, init = {}) => {
    const headers = new Headers(init.headers || {});
    for (const [k, v] of Object.entries(extra)) if (v) headers.set(k, v);
    return fetch(input, { ...init, headers });
  };
}
const endpoints = [
  { name: "router", url: `${base}/graphql`, fetchFn: withHeaders({ authorization: token && `Bearer ${token}` }) },
  { name: "bff-web", url: `${base}/web/graphql`, fetchFn: fetch },
  // The stack's bff-mobile answers trusted operations only (its default), so the audit's free-text requests are
  // refused there by design: informational. The counted bff-mobile audit is a second instance with free-text
  // operations allowed by config (MOBILE_FREE_TEXT_URL; ./atrium e2e starts it).
  { name: "bff-mobile (trusted-only, via edge)", url: `${base}/mobile/graphql`, informational: true,
    fetchFn: withHeaders({ authorization: token && `Bearer ${token}`, "x-api-key": mobileKey }) },
  ...(process.env.MOBILE_FREE_TEXT_URL
    ? [{ name: "bff-mobile (free text allowed)", url: process.env.MOBILE_FREE_TEXT_URL, fetchFn: fetch }] : []),
];
if (!process.env.MOBILE_FREE_TEXT_URL) console.log("audit: no MOBILE_FREE_TEXT_URL, bff-mobile with free text not audited");
// graphql-http's statuses: a failed MUST is an error, a failed SHOULD a warning, a failed MAY a notice.
const failed = { MUST: "error", SHOULD: "warn", MAY: "notice" };
let mustFailures = process.env.MOBILE_FREE_TEXT_URL ? 0 : 1;
for (const endpoint of endpoints) {
  const results = await auditServer({ url: endpoint.url, fetchFn: endpoint.fetchFn });
  const counts = Object.entries(failed).map(([level, status]) => {
    const of = results.filter(r => r.name.startsWith(level));
    return `${level} ${of.filter(r => r.status === "ok").length} pass / ${of.filter(r => r.status === status).length} `
      + `${status === "error" ? "fail" : status}`;
  }).join(", ");
  const must = results.filter(r => r.status === "error").length;
  if (!endpoint.informational) mustFailures += must;
  console.log(`${endpoint.informational ? "INFO" : must ? "FAIL" : "PASS"} audit ${endpoint.name}: ${counts}`
    + `${endpoint.informational ? " [informational]" : ""}`);
  if (endpoint.informational) continue;
  for (const r of results.filter(r => r.status === "error" || r.status === "warn")) {
    console.log(`  ${r.name}: ${r.reason}`);
  }
}
process.exit(mustFailures ? 1 : 0);
