// Ad-hoc check (not committed): a partner's people page through Apollo Client
// and graphql-ws, with refused e-mails.
import { ApolloClient, InMemoryCache, HttpLink, gql } from '@apollo/client/core/index.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import fs from 'node:fs';
const url = process.argv[2], token = process.argv[3];
const query = gql(fs.readFileSync('/work/main/bench/views/q7_people.graphql', 'utf8').replace('first: 50', 'first: 50, after: $after').replace('query People', 'query People($after: String)'));
const client = new ApolloClient({ link: new HttpLink({ uri: url, fetch, headers: { authorization: `Bearer ${token}` } }), cache: new InMemoryCache() });
const first = await client.query({ query, errorPolicy: 'all' });
const edges = first.data.people.edges;
const errs = first.errors || [];
console.log('page 1:', edges.length, 'edges;', errs.length, 'errors; codes', [...new Set(errs.map(e => e.extensions.code))]);
const nullEmails = edges.filter(e => e.node.email === null).length;
const paths = errs.map(e => e.path.join('.'));
const expected = edges.map((e, i) => e.node.email === null ? `people.edges.${i}.node.email` : null).filter(Boolean);
console.log('null e-mails', nullEmails, 'paths match', JSON.stringify(paths) === JSON.stringify(expected));
const second = await client.query({ query, variables: { after: first.data.people.pageInfo.endCursor }, errorPolicy: 'all' });
const e2 = second.data.people.edges;
console.log('page 2:', e2.length, 'edges;', (second.errors || []).length, 'errors; ordered', e2[0].node.fullName >= edges[edges.length - 1].node.fullName);
const ws = createClient({ url: url.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } });
const viaWs = await new Promise((resolve, reject) => {
  let result;
  ws.subscribe({ query: fs.readFileSync('/work/main/bench/views/q7_people.graphql', 'utf8') }, { next: (r) => { result = r; }, error: reject, complete: () => resolve(result) });
});
console.log('ws:', viaWs.data.people.edges.length, 'edges;', (viaWs.errors || []).length, 'errors; same ids as http', JSON.stringify(viaWs.data.people.edges.map(e => e.node.id)) === JSON.stringify(edges.map(e => e.node.id)), 'same error paths', JSON.stringify((viaWs.errors||[]).map(e => e.path.join('.'))) === JSON.stringify(paths));
await ws.dispose();
