// Sends one query through Apollo Client with a normalized InMemoryCache, then
// reads it back from the cache. Prints {"readBack": <data or null>, "errors": [...]}.
// A partial answer whose refused fields are missing (instead of null) cannot
// be read back: readQuery then returns null.
//
//   node cache-check.mjs URL QUERY [TOKEN]
import { ApolloClient, InMemoryCache, HttpLink, gql } from "@apollo/client/core/index.js";

const [url, text, token] = process.argv.slice(2);
const headers = token ? { authorization: `Bearer ${token}` } : {};
const client = new ApolloClient({
  link: new HttpLink({ uri: url, headers }),
  cache: new InMemoryCache(),
});
const query = gql(text);
const result = await client.query({ query, errorPolicy: "all", fetchPolicy: "network-only" });
let readBack = null;
const warnings = [];
const warn = console.warn;
console.warn = (...args) => warnings.push(args.join(" "));
try {
  readBack = client.readQuery({ query });
} catch (e) {
  warnings.push(String(e));
}
console.warn = warn;
console.log(JSON.stringify({
  data: result.data ?? null,
  readBack,
  errors: (result.errors ?? []).map((e) => e.extensions?.code ?? "?"),
  warnings,
}));
