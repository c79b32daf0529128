// Material's search worker for one language of the site, loaded on demand, with
// stemmed prefix queries.
//
// scripts/hooks/search.py serves one copy per language (assets/javascripts/workers/
// search-<language>.js), preceded by a line defining SEARCH_WORKER (the URLs of
// Material's worker and of the language's index), and points each page's
// Material config at its language's copy. This file is all that a page loads
// of search until the reader wants it: Material sends its setup message (a
// stub index without pages, see search.py) at once, and this worker holds it.
//
// 1. Search loads when the reader focuses the search field. Served over HTTP,
//    the page says so on the "search:load" BroadcastChannel (overrides/main.html);
//    a worker that starts after the focus asks on the channel, and the page
//    answers. On file:// (the iframe-worker shim), Material itself sends the
//    setup message only once search opens, so the message is the signal. Then
//    Material's worker (lunr), the language's index and stemmer are loaded and
//    Material's worker gets the setup message with the language's pages: it
//    answers "ready", and the page sends the query typed so far.
// 2. Inflected words find their page ("couches" finds "couche"). Material adds
//    a trailing wildcard to every query term, so that results appear while the
//    reader types, and lunr does not stem wildcard terms: against an index
//    whose words are stemmed ("couch"), "couches*" matches nothing. The term
//    is stemmed with the index's own search pipeline, then the wildcard is put
//    back: "couch*". Material's worker and lunr's query parser share the
//    patched parser, so result highlighting and "missing term" hints agree.
//
// Under the iframe-worker shim importScripts is asynchronous and relative URLs
// resolve against the page: hence the absolute URLs and the promise.

"use strict"

/* global SEARCH_WORKER, SEARCH_INDEX, lunr */

const SETUP_MESSAGE = 0 // Material's SearchMessageType.SETUP
const here = self.document ? document.currentScript.src : self.location.href
const offline = Boolean(self.document) // the iframe-worker shim: file://

let setup = null
let wanted = offline
let started = false

addEventListener("message", ({ data }) => {
  if (!started && data && data.type === SETUP_MESSAGE) {
    setup = data
    start()
  }
})

const channel = offline || !self.BroadcastChannel ? null : new BroadcastChannel("search:load")
if (channel) {
  channel.onmessage = ({ data }) => {
    if (data === "load") {
      wanted = true
      start()
    }
  }
  channel.postMessage("waiting")
} else {
  wanted = true // no way to hear the page: load at once, as Material does
}

function start() {
  if (!setup || !wanted || started)
    return
  started = true
  if (channel)
    channel.close()
  const url = path => new URL(path, here).href
  Promise.resolve(importScripts(url(SEARCH_WORKER.material), url(SEARCH_WORKER.index)))
    .then(() => {
      stemPrefixQueries()
      setup.data.config = SEARCH_INDEX.config
      setup.data.docs = SEARCH_INDEX.docs
      // Material's own listener, registered by its worker just now, takes it from here.
      dispatchEvent(new MessageEvent("message", { data: setup }))
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
