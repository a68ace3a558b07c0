/* Bibblix reader service worker (scope {{ scope }}), version {{ version }}.
 *
 * Keeps the reader shell and each borrowed book available offline until its loan ends.
 * A book is stored with its loan's due date; it is removed when the due date passes, when the
 * server refuses it (loan returned or expired, logged out), or when a page tells us to
 * (logout, or /api/v1/loans no longer lists it). Online, the server is always asked first, so a
 * returned loan stops working on the next request. */
const VERSION = '{{ version }}'
const SHELL = {{ shell|safe }}
const SHELL_CACHE = `bibblix-shell-${VERSION}`
const BOOKS_CACHE = 'bibblix-books'
const PAGES_CACHE = 'bibblix-pages'
const META_CACHE = 'bibblix-books-meta'
const DEVICE_CACHE = 'bibblix-device' // who is logged in on this device now
const SCOPE = new URL('{{ scope }}', self.location).pathname
const BOOK_FILE = /^\/read\/(\d+)\/book\.epub$/
const READER_PAGE = /^\/read\/(\d+)\/$/

const bookKey = id => new URL(`${SCOPE}${id}/book.epub`, self.location).href
const pageKey = id => new URL(`${SCOPE}${id}/`, self.location).href
const metaKey = id => new URL(`${SCOPE}${id}/offline-meta`, self.location).href

self.addEventListener('install', event => {
    event.waitUntil(caches.open(SHELL_CACHE)
        .then(cache => cache.addAll(SHELL))
        .then(() => self.skipWaiting()))
})

self.addEventListener('activate', event => {
    event.waitUntil((async () => {
        for (const name of await caches.keys())
            if (name.startsWith('bibblix-shell-') && name !== SHELL_CACHE) await caches.delete(name)
        await purgeExpired()
        await self.clients.claim()
    })())
})

async function readMeta(id) {
    const response = await (await caches.open(META_CACHE)).match(metaKey(id))
    return response ? response.json() : null
}

async function writeMeta(id, meta) {
    const body = JSON.stringify(meta)
    await (await caches.open(META_CACHE)).put(metaKey(id),
        new Response(body, { headers: { 'Content-Type': 'application/json' } }))
}

const isExpired = meta => !meta || !meta.dueAt || Date.parse(meta.dueAt) <= Date.now()
const childKey = () => new URL(`${SCOPE}current-child`, self.location).href

async function currentChild() {
    const response = await (await caches.open(DEVICE_CACHE)).match(childKey())
    return response ? (await response.json()).child || '' : ''
}

/* A page names the child logged in (a keyed hash, '' for nobody): when it is someone else,
 * every stored book and page goes, so the next child on a shared device finds nothing. */
async function setChild(child) {
    if ((await currentChild()) !== (child || '')) await purgeAll()
    await (await caches.open(DEVICE_CACHE)).put(childKey(), new Response(JSON.stringify({ child: child || '' }),
        { headers: { 'Content-Type': 'application/json' } }))
}

/* A stored copy counts only with a loan the worker can still show: a due date ahead, saved for
 * the child who is logged in on this device now. */
async function isUsable(meta) {
    return !isExpired(meta) && !!meta.child && meta.child === await currentChild()
}

async function purgeBook(id) {
    await (await caches.open(BOOKS_CACHE)).delete(bookKey(id))
    await (await caches.open(PAGES_CACHE)).delete(pageKey(id))
    await (await caches.open(META_CACHE)).delete(metaKey(id))
    for (const client of await self.clients.matchAll())
        client.postMessage({ type: 'purged', bookId: Number(id) })
}

async function offlineBooks() {
    const keys = await (await caches.open(META_CACHE)).keys()
    return keys.map(request => new URL(request.url).pathname)
        .filter(path => path.endsWith('/offline-meta'))
        .map(path => Number(path.split('/')[2]))
}

async function purgeExpired() {
    for (const id of await offlineBooks())
        if (isExpired(await readMeta(id))) await purgeBook(id)
}

async function purgeAll() {
    for (const id of await offlineBooks()) await purgeBook(id)
    await caches.delete(PAGES_CACHE)
}

self.addEventListener('message', event => {
    const data = event.data || {}
    const done = result => event.ports?.[0]?.postMessage(result ?? { ok: true })
    let work
    if (data.type === 'purge') work = purgeBook(data.bookId)
    else if (data.type === 'purge-all') work = purgeAll()
    else if (data.type === 'keep-only') work = (async () => {
        const keep = new Set((data.bookIds || []).map(Number))
        for (const id of await offlineBooks()) if (!keep.has(id)) await purgeBook(id)
    })()
    else if (data.type === 'keep') work = keepBook(data.bookId, data.epubUrl, data.child)
    else if (data.type === 'child') work = setChild(data.child)
    else if (data.type === 'list') work = (async () => {
        await purgeExpired()
        const books = []
        for (const id of await offlineBooks()) books.push({ bookId: id, ...(await readMeta(id)) })
        return { books }
    })()
    if (work) event.waitUntil(work.then(done, error => done({ ok: false, error: String(error) })))
})

self.addEventListener('fetch', event => {
    const request = event.request
    if (request.method !== 'GET') return
    const url = new URL(request.url)
    if (url.origin !== self.location.origin) return
    let match
    if ((match = url.pathname.match(BOOK_FILE)) && !request.headers.has('range'))
        event.respondWith(bookFile(request, match[1]))
    else if (request.mode === 'navigate' && (match = url.pathname.match(READER_PAGE)))
        event.respondWith(readerPage(request, match[1]))
    else if (request.mode === 'navigate' && url.pathname === SCOPE)
        event.respondWith(networkThenCache(request, PAGES_CACHE))
    else if (SHELL.includes(url.pathname))
        event.respondWith(caches.match(request).then(hit => hit || fetch(request)))
})

/* Save a book the page has open (the first visit is not yet controlled by this worker). */
async function keepBook(id, epubUrl, child) {
    if (!child) return { ok: false, bookId: Number(id) }
    await setChild(child)
    const page = await fetch(pageKey(id), { credentials: 'same-origin', cache: 'no-store' })
    if (page.ok && page.headers.get('X-Bibblix-Loan-Due'))
        await (await caches.open(PAGES_CACHE)).put(pageKey(id), page)
    const book = await bookFile(new Request(new URL(epubUrl, self.location).href), id, child)
    return { ok: book.ok, bookId: Number(id) }
}

/* The book file: ask the server first (a 304 keeps the stored copy); use the stored copy only
 * when the network fails, and only while the loan lasts. */
async function bookFile(request, id, child = null) {
    const cache = await caches.open(BOOKS_CACHE)
    const meta = await readMeta(id)
    const stored = (await isUsable(meta)) ? await cache.match(bookKey(id)) : null
    if (!stored && meta) await purgeBook(id)
    const headers = new Headers()
    if (stored?.headers.get('ETag')) headers.set('If-None-Match', stored.headers.get('ETag'))
    let response
    try {
        response = await fetch(request.url, { headers, credentials: 'same-origin', cache: 'no-store' })
    } catch (error) {
        if (stored) return stored
        throw error
    }
    if (response.status === 304 && stored) return stored
    if (response.status === 403 || response.status === 410) {
        await purgeBook(id)
        return response
    }
    const dueAt = response.headers.get('X-Bibblix-Loan-Due')
    const owner = child || meta?.child || await currentChild()
    if (response.status === 200 && dueAt && owner) {
        await cache.put(bookKey(id), response.clone())
        await writeMeta(id, { dueAt, child: owner, savedAt: new Date().toISOString() })
    }
    return response
}

/* The reader page: from the network when online (a redirect means no loan: forget the book),
 * from the stored copy when offline and the loan still lasts. */
async function readerPage(request, id) {
    let response
    try {
        response = await fetch(request)
    } catch (error) {
        const meta = await readMeta(id)
        if (await isUsable(meta)) {
            const stored = await (await caches.open(PAGES_CACHE)).match(pageKey(id))
            if (stored) return stored
        } else if (meta) await purgeBook(id)
        return offlinePage()
    }
    // A redirect or a refusal means no loan any more; a server error (5xx) proves nothing.
    if (response.type === 'opaqueredirect' || response.redirected
        || [401, 403, 404, 410].includes(response.status)) {
        await purgeBook(id)
    } else if (response.ok && response.headers.get('X-Bibblix-Loan-Due')) {
        await (await caches.open(PAGES_CACHE)).put(pageKey(id), response.clone())
    }
    return response
}

async function networkThenCache(request, cacheName) {
    try {
        const response = await fetch(request)
        if (response.ok) await (await caches.open(cacheName)).put(request, response.clone())
        return response
    } catch (error) {
        return (await (await caches.open(cacheName)).match(request)) || offlinePage()
    }
}

function offlinePage() {
    const body = `<!DOCTYPE html><html lang="sv"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Bibblix</title>
<body style="font-family: sans-serif; font-size: 1.25rem; padding: 1rem">
<h1>Du är offline</h1><p>Den här boken finns inte sparad på enheten. Öppna den när du har nätet igen.</p>
<p lang="en">You are offline, and this book is not saved on this device.</p></body></html>`
    return new Response(body, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } })
}
