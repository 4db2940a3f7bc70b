// Answers a SPARQL query with Comunica over documents it dereferences itself, following links:
// it starts from the IRIs written in the query, dereferences them, follows the IRIs under BASE
// found in those documents, DEPTH steps deep, then runs the query over every document fetched.
// No network: IRIs under BASE are fetched from SERVER instead (BASE + path -> SERVER + path).
// Prints the SPARQL JSON results on stdout, and the documents followed on stderr.
//   node comunica-follow.mjs QUERY_FILE BASE SERVER [DEPTH]
import { readFile } from 'node:fs/promises'
import { QueryEngine } from '@comunica/query-sparql'

const [queryPath, base, server, depthArg] = process.argv.slice(2)
if (!server) {
  console.error('usage: node comunica-follow.mjs QUERY_FILE BASE SERVER [DEPTH]')
  process.exit(2)
}
const depth = Number(depthArg || 3)
const maxDocuments = 400
const query = await readFile(queryPath, 'utf8')
const engine = new QueryEngine()
const fetched = []

function localFetch (input, init) {
  const url = new URL(typeof input === 'string' ? input : input.url)
  const root = new URL(base)
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) {
    return Promise.reject(new Error(`refusing to fetch ${url}: only IRIs under ${base} are served here`))
  }
  fetched.push(decodeURI(url.href))
  return fetch(`${server.replace(/\/$/, '')}/${url.pathname.slice(root.pathname.length)}${url.search}`, init)
}

const context = (sources) => ({ sources, fetch: localFetch, lenient: false })
const underBase = iri => iri.startsWith(base + 'id/')
const document = iri => iri.split('#')[0]

// the IRIs the query names
let frontier = [...new Set([...query.matchAll(/<([^<>\s]+)>/g)].map(m => m[1]).filter(underBase).map(document))]
const seen = new Set(frontier)
for (let step = 0; step < depth && frontier.length; step++) {
  const links = new Set()
  for (const iri of frontier) {
    const bindings = await (await engine.queryBindings(
      `SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) }`, context([iri]))).toArray()
    for (const b of bindings) {
      const target = document(b.get('o').value)
      if (underBase(target) && !seen.has(target)) links.add(target)
    }
  }
  frontier = [...links].slice(0, Math.max(0, maxDocuments - seen.size))
  frontier.forEach(iri => seen.add(iri))
}

const sources = [...seen].sort()
const result = await engine.query(query, context(sources))
const { data } = await engine.resultToString(result, 'application/sparql-results+json')
let text = ''
for await (const chunk of data) text += chunk
process.stdout.write(text)
console.error(`comunica: ${sources.length} documents followed, ${fetched.length} fetches`)
