// Validates RDF data with shacl-engine (an independent SHACL engine) and prints JSON results.
// Reads a JSON file listing the jobs, [{"data": FILE, "shapes": FILE, "use": [SHAPE IRI, ...]}],
// each file Turtle, TriG, N-Triples or N-Quads (by extension), all graphs read into one dataset;
// "use" picks the shapes to start from (default: every shape with a target).
// Prints [{"conforms": bool, "results": [{"focus", "shape", "path", "severity", "component", "value",
// "message"}], "unsupported": {SHAPE IRI: the engine's error}}], each shape run on its own.
//   node shacl-validate.mjs [--no-sparql] JOBS.json
import { readFile } from 'node:fs/promises'
import N3 from 'n3'
import rdf from 'rdf-ext'
import Validator from 'shacl-engine/Validator.js'
import { targetResolvers, validations } from 'shacl-engine/sparql.js'

const sparql = !process.argv.includes('--no-sparql')

const formats = { ttl: 'text/turtle', trig: 'application/trig', nt: 'application/n-triples', nq: 'application/n-quads' }

async function readDataset (path) {
  const format = formats[path.split('.').pop()]
  if (!format) throw new Error(`unknown RDF format: ${path}`)
  const quads = new N3.Parser({ format }).parse(await readFile(path, 'utf8'))
  // every graph into the default graph: the data is one view
  return rdf.dataset(quads.map(q => rdf.quad(q.subject, q.predicate, q.object)))
}

function termString (term) {
  if (!term) return null
  if (term.termType === 'NamedNode') return term.value
  if (term.termType === 'BlankNode') return '_:'
  return JSON.stringify([term.value, term.language || term.datatype?.value])
}

function pathString (path) {
  if (!path) return null
  try {
    return path.map(step => step.predicates.map(p => (step.quantifier !== 'one' ? step.quantifier + ':' : '') + (step.start === 'object' ? '^' : '') + p.value).join('|')).join('/')
  } catch (err) {
    return String(path)
  }
}

const jobsPath = process.argv.slice(2).find(a => !a.startsWith('--'))
const jobs = JSON.parse(await readFile(jobsPath, 'utf8'))

const sh = 'http://www.w3.org/ns/shacl#'
const targets = ['targetClass', 'targetNode', 'targetSubjectsOf', 'targetObjectsOf', 'target'].map(t => rdf.namedNode(sh + t))

function result (r) {
  return {
    focus: termString(r.focusNode?.term),
    shape: termString(r.shape?.ptr?.term),
    path: pathString(r.path),
    severity: r.severity?.value?.split('#').pop(),
    component: r.constraintComponent?.value?.split('#').pop(),
    value: termString(r.value?.term),
    message: r.message?.map(m => m.value)[0] || null
  }
}

let failShape = null
let t0 = 0
process.on('uncaughtException', err => {
  if (!failShape) throw err
  failShape(err)
})

const out = []
for (const job of jobs) {
  const shapes = await readDataset(job.shapes)
  const data = await readDataset(job.data)
  const validator = new Validator(shapes, { factory: rdf, ...(sparql ? { targetResolvers, validations } : {}) })
  const use = job.use || [...new Set(targets.flatMap(t => [...shapes.match(null, t, null)].map(q => q.subject.value)))].sort()
  // one shape at a time, so that a shape the engine cannot run is told apart from the others
  const results = []
  const unsupported = {}
  for (const iri of use) {
    try {
      t0 = Date.now()
      // Comunica may also fail outside the promise chain (an error thrown in an iterator)
      const crashed = new Promise((resolve, reject) => { failShape = reject })
      const report = await Promise.race([validator.validate({ dataset: data }, [{ terms: [rdf.namedNode(iri)] }]), crashed])
      results.push(...report.results.map(result))
      if (process.env.SHACL_TIMING) console.error(iri, Date.now() - t0)
    } catch (err) {
      unsupported[iri] = String(err.message || err).split('\n')[0]
      if (process.env.SHACL_TIMING) console.error(iri, Date.now() - t0, 'unsupported')
    }
  }
  out.push({ conforms: results.length === 0, results, unsupported })
}
process.stdout.write(JSON.stringify(out) + '\n')
