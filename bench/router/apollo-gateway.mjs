// Reference: @apollo/gateway under @apollo/server's standalone HTTP server, on the supergraph file given.
// usage: node apollo-gateway.mjs <supergraph.graphql> <port>
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway } from '@apollo/gateway';

const [supergraphPath, port] = process.argv.slice(2);
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath, 'utf8') });
const server = new ApolloServer({
  gateway,
  // Benchmarks measure the gateway, not a cache: no inbound de-duplication, no landing page, no CSRF preflight rule
  // (wrk sends application/json, which is not a simple request anyway).
  csrfPrevention: false,
  introspection: false,
});
const { url } = await startStandaloneServer(server, { listen: { port: Number(port), host: '127.0.0.1' } });
console.log(`apollo-gateway listening at ${url}`);
