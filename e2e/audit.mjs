// graphql-http's audit (the GraphQL over HTTP spec's MUST/SHOULD/MAY checks) against the router (with a token of the
// development provider, through the edge) and both BFFs. Prints counts per endpoint; exit code 1 on a MUST failure.
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
  // bff-mobile answers trusted operations only by default, so free-text audit requests are refused there: its counts
  // are informational unless the stack runs it with free-text operations allowed (MOBILE_FREE_TEXT=1).
  { name: "bff-mobile", url: `${base}/mobile/graphql`, informational: process.env.MOBILE_FREE_TEXT !== "1",
    fetchFn: withHeaders({ authorization: token && `Bearer ${token}`, "x-api-key": mobileKey }) },
];
let mustFailures = 0;
for (const endpoint of endpoints) {
  const results = await auditServer({ url: endpoint.url, fetchFn: endpoint.fetchFn });
  const count = (status, level) => results.filter(r => r.status === status && (!level || r.name.startsWith(level))).length;
  const must = count("error", "MUST");
  if (!endpoint.informational) mustFailures += must;
  console.log(`audit ${endpoint.name}: ${count("ok")} ok, ${count("warn")} warnings, ${count("notice")} notices, `
    + `${count("error")} errors (${must} MUST)${endpoint.informational ? " [informational: trusted-only]" : ""}`);
  for (const r of results.filter(r => r.status === "error")) console.log(`  ${r.name}: ${r.reason}`);
}
process.exit(mustFailures ? 1 : 0);
