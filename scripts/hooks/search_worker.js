// Material's search worker for one language of the site, loaded in two steps,
// with stemmed prefix queries.
//
// scripts/hooks/search.py serves one copy per language (assets/javascripts/workers/
// search-<language>.js), preceded by a line defining SEARCH_WORKER (the URLs of
// Material's worker, of the language's stemmers and of its index), and points
// each page's Material config at its language's copy. Material sends its
// setup message (a stub index without pages, see search.py) at once; this
// worker holds it back from Material's worker until the reader wants search.
//
// 1. Search loads in two steps, each announced by the page on the
//    "search:load" BroadcastChannel (overrides/main.html); a worker that starts
//    late says "waiting" and the page repeats its last word.
//    - "prepare", once the page is loaded and the browser idle: Material's
//      worker (lunr) and the language's stemmers. Their size does not depend
//      on the number of pages.
//    - "load", when the reader is about to search (the field focused or
//      pressed): the language's index, whose size grows with the site. Then
//      Material's worker gets the setup message with the language's pages:
//      it builds the index, answers "ready", and the page sends the query
//      typed so far.
//    On file:// (the iframe-worker shim), Material itself sends the setup
//    message only once search opens, so that message is the signal, and
//    everything loads then.
// 2. Inflected words find their page ("couches" finds "couche"). Material adds
//    a trailing wildcard to every query term, so that results appear while the
//    reader types, and lunr does not stem wildcard terms: against an index
//    whose words are stemmed ("couch"), "couches*" matches nothing. The term
//    is stemmed with the index's own search pipeline, then the wildcard is put
//    back: "couch*". Material's worker and lunr's query parser share the
//    patched parser, so result highlighting and "missing term" hints agree.
//
// Under the iframe-worker shim importScripts is asynchronous and relative URLs
// resolve against the page: hence the absolute URLs and the promises.

"use strict"

/* global SEARCH_WORKER, SEARCH_INDEX, lunr */

const SETUP_MESSAGE = 0 // Material's SearchMessageType.SETUP
const here = self.document ? document.currentScript.src : self.location.href
const offline = Boolean(self.document) // the iframe-worker shim: file://
const url = path => new URL(path, here).href

let setup = null
let wanted = offline
let started = false
let releasing = false // while this worker hands Material's worker the whole setup message
let prepared = null

// The page's setup message waits here: Material's worker, if already loaded,
// must not build an index of the stub.
addEventListener("message", event => {
  const { data } = event
  if (releasing || !data || data.type !== SETUP_MESSAGE)
    return
  event.stopImmediatePropagation()
  if (!started) {
    setup = data
    start()
  }
})

// Material's worker imports the stemmers again on setup: a script this worker
// already ran is not fetched and run twice.
const imported = new Set()
const importScriptsOnce = self.importScripts.bind(self)
self.importScripts = (...urls) => {
  const fresh = urls.map(url).filter(src => !imported.has(src))
  fresh.forEach(src => imported.add(src))
  return fresh.length ? importScriptsOnce(...fresh) : undefined
}

const channel = offline || !self.BroadcastChannel ? null : new BroadcastChannel("search:load")
if (channel) {
  channel.onmessage = ({ data }) => {
    if (data === "prepare")
      prepare()
    if (data === "load") {
      wanted = true
      start()
    }
  }
  channel.postMessage("waiting")
} else {
  wanted = true // no way to hear the page: load at once, as Material does
}

// Material's worker, lunr and the stemmers: the same bytes whatever the site's size.
function prepare() {
  prepared ??= Promise.resolve(importScripts(url(SEARCH_WORKER.material)))
    .then(() => SEARCH_WORKER.stemmers.length && importScripts(...SEARCH_WORKER.stemmers.map(url)))
    .then(stemPrefixQueries)
  return prepared
}

function start() {
  if (!setup || !wanted || started)
    return
  started = true
  if (channel)
    channel.close()
  prepare()
    .then(() => importScripts(url(SEARCH_WORKER.index)))
    .then(() => {
      setup.data.config = SEARCH_INDEX.config
      setup.data.docs = SEARCH_INDEX.docs
      // Material's own listener takes it from here.
      releasing = true
      try {
        dispatchEvent(new MessageEvent("message", { data: setup }))
      } finally {
        releasing = false
      }
    })
}

function stemPrefixQueries() {
  let queryPipeline = null
  const build = lunr.Builder.prototype.build
  lunr.Builder.prototype.build = function () {
    queryPipeline = this.searchPipeline
    return build.call(this)
  }
  const parseTerm = lunr.QueryParser.parseTerm
  lunr.QueryParser.parseTerm = function (parser) {
    // parseTerm may end the clause and start the next one: keep this one.
    const clause = parser.currentClause
    const next = parseTerm(parser)
    const prefix = /^([^*]+)\*$/.exec(clause.term || "")
    if (queryPipeline && prefix) {
      const [stem] = queryPipeline.runString(prefix[1], { fields: clause.fields })
      // A stop word has no stem: the reader's term is kept as it was.
      if (stem)
        clause.term = `${stem}*`
    }
    return next
  }
}
