// Expands a JSON-LD document with jsonld.js and prints its triples as N-Quads on stdout.
// No network: the context IRIs given as IRI=FILE pairs are read from local files, any other
// remote document is an error.
//   node jsonld-to-nquads.mjs DOCUMENT [IRI=FILE ...]
import { readFile } from 'node:fs/promises'
import jsonld from 'jsonld'

const [documentPath, ...mappings] = process.argv.slice(2)
if (!documentPath) {
  console.error('usage: node jsonld-to-nquads.mjs DOCUMENT [IRI=FILE ...]')
  process.exit(2)
}
const local = new Map(mappings.map((pair) => {
  const at = pair.indexOf('=')
  return [pair.slice(0, at), pair.slice(at + 1)]
}))

async function documentLoader (url) {
  if (!local.has(url)) {
    throw new Error(`refusing to fetch ${url}: no network in the tests; map it to a file`)
  }
  return { contextUrl: null, documentUrl: url, document: JSON.parse(await readFile(local.get(url), 'utf8')) }
}

const doc = JSON.parse(await readFile(documentPath, 'utf8'))
// expand first, as a consumer would; then the RDF of the expanded form
const expanded = await jsonld.expand(doc, { documentLoader, safe: true })
const nquads = await jsonld.toRDF(expanded, { format: 'application/n-quads', documentLoader, safe: true })
process.stdout.write(nquads)
console.error(`jsonld.js: ${expanded.length} node objects, ${nquads.split('\n').filter(Boolean).length} quads`)
