// Material's search worker for one language of the site, with stemmed prefix queries.
//
// scripts/hooks/search.py serves one copy per language (assets/javascripts/workers/
// search-<language>.js), preceded by a line defining SEARCH_WORKER, and points
// each page's Material config at its language's copy. It changes two things:
//
// 1. A page searches only the pages of its own language, with that language's
//    stemmer. static-i18n builds a single index for the whole site, set up
//    for all languages; the index message is filtered before Material's
//    worker builds the lunr index from it.
// 2. Inflected words find their page ("couches" finds "couche"). Material adds
//    a trailing wildcard to every query term, so that results appear while the
//    reader types, and lunr does not stem wildcard terms: against an index
//    whose words are stemmed ("couch"), "couches*" matches nothing. The term
//    is stemmed with the index's own search pipeline, then the wildcard is put
//    back: "couch*". Material's worker and lunr's query parser share the
//    patched parser, so result highlighting and "missing term" hints agree.
//
// It runs in a real Worker and under the iframe-worker shim used on file://,
// where importScripts is asynchronous and relative URLs resolve against the
// page: hence the absolute URL and the promise.

"use strict"

/* global SEARCH_WORKER, lunr */

const SETUP_MESSAGE = 0 // Material's SearchMessageType.SETUP

function isPageOfThisLanguage({ location }) {
  return location.startsWith(SEARCH_WORKER.prefix)
    && !SEARCH_WORKER.otherPrefixes.some(prefix => prefix && location.startsWith(prefix))
}

// Registered before Material's own listener, so it sees the filtered index,
// analysed with this language's stemmer and stop words only (Material then
// loads no other language's lunr files).
addEventListener("message", ({ data }) => {
  if (data && data.type === SETUP_MESSAGE && Array.isArray(data.data.docs)) {
    data.data.docs = data.data.docs.filter(isPageOfThisLanguage)
    data.data.config.lang = [SEARCH_WORKER.language]
  }
})

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

const here = self.document ? document.currentScript.src : self.location.href
Promise.resolve(importScripts(new URL(SEARCH_WORKER.material, here).href))
  .then(stemPrefixQueries)
