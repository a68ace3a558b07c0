// The Bibblix reader: foliate-js (<foliate-view>) opens the borrowed EPUB; this module adds the
// child-friendly chrome: page turning, settings, contents, progress, bookmarks, read-aloud,
// saving the reading position to the server, and the offline copy.
import { makeBook } from '../vendor/foliate-js/view.js'
import { ReadAloud } from './read-aloud.js'
import * as offline from './offline.js'
import { bindPanels, buildToc, closePanels } from './panels.js'
import { Position } from './position.js'
import { ShownPage } from './shown-page.js'
import { bookCSS, columnWidth, comfort, saveSettings, settings, spacingOf } from './settings.js'

const config = JSON.parse(document.getElementById('reader-config').textContent)
const S = config.strings
const $ = id => document.getElementById(id)
let view = null
let readAloud = null
let shownPage = null // picture books: the page the child sees (see shown-page.js)
let firstPage = true

// --- helpers --------------------------------------------------------------------------------

const format = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? '')

function announce(text) {
    // A polite live region: screen readers hear page changes without being interrupted.
    const region = $('announcer')
    region.textContent = ''
    requestAnimationFrame(() => { region.textContent = text })
}

function showStatus(text, kind = 'info') {
    const box = $('reader-status')
    box.textContent = text
    box.dataset.kind = kind
    box.hidden = !text
}

const position = new Position({
    url: config.progressUrl,
    enabled: config.isLoan,
    key: offline.childStorageKey(`position:${config.bookId}`), // per child: shared devices
    api: (url, options) => api(url, options),
})
const flushSave = () => position.flush()

function api(url, options = {}) {
    return fetch(url, {
        credentials: 'same-origin',
        ...options,
        headers: {
            Accept: 'application/json',
            'Content-Type': 'application/json',
            'X-CSRFToken': config.csrfToken,
            ...(options.headers || {}),
        },
    })
}

// --- styles ---------------------------------------------------------------------------------

function applySettings() {
    saveSettings()
    document.documentElement.dataset.readerTheme = settings.theme
    $('reader').dataset.theme = settings.theme
    $('font-size-value').textContent = `${settings.fontSize} %`
    $('dyslexic-font').checked = settings.dyslexic
    const base = comfort(config)
    for (const input of document.querySelectorAll('input[name="spacing"]'))
        input.checked = Number(input.value) === spacingOf(base)
    for (const input of document.querySelectorAll('input[name="theme"]'))
        input.checked = input.value === settings.theme
    if (!view?.renderer) return
    if (view.isFixedLayout) view.renderer.setAttribute('zoom', settings.zoom)
    else {
        view.renderer.setAttribute('max-inline-size', columnWidth(base))
        view.renderer.setStyles?.(bookCSS(config.fontCss, config.readingFontCss, base))
    }
}

function bindSettings() {
    const size = delta => () => {
        settings.fontSize = Math.min(250, Math.max(75, settings.fontSize + delta))
        applySettings()
    }
    $('font-smaller').addEventListener('click', size(-25))
    $('font-bigger').addEventListener('click', size(25))
    $('dyslexic-font').addEventListener('change', e => {
        settings.dyslexic = e.target.checked
        applySettings()
    })
    for (const input of document.querySelectorAll('input[name="spacing"]'))
        input.addEventListener('change', () => { settings.spacing = Number(input.value); applySettings() })
    for (const input of document.querySelectorAll('input[name="theme"]'))
        input.addEventListener('change', () => { settings.theme = input.value; applySettings() })
    const zoom = value => () => { settings.zoom = value; applySettings() }
    $('zoom-fit')?.addEventListener('click', zoom('fit-page'))
    $('zoom-width')?.addEventListener('click', zoom('fit-width'))
    $('zoom-in')?.addEventListener('click', () => {
        const current = typeof settings.zoom === 'number' ? settings.zoom : currentScale()
        settings.zoom = Math.min(4, current * 1.25)
        applySettings()
    })
}

function currentScale() {
    const frame = view?.renderer?.shadowRoot?.querySelector('iframe')
    const match = frame?.style.transform?.match(/scale\(([\d.]+)\)/)
    return match ? Number(match[1]) : 1
}

// --- bookmarks ------------------------------------------------------------------------------

async function loadBookmarks() {
    if (!config.isLoan) return
    try {
        const response = await api(`${config.bookmarksUrl}?book=${config.bookId}`)
        if (!response.ok) return
        const data = await response.json()
        renderBookmarks(Array.isArray(data) ? data : (data.items ?? []))
    } catch { /* offline */ }
}

function renderBookmarks(items) {
    const list = $('bookmark-list')
    list.replaceChildren()
    for (const mark of items) {
        const li = document.createElement('li')
        const go = document.createElement('button')
        go.type = 'button'
        go.className = 'toc-link'
        go.textContent = mark.label || S.chapter
        go.addEventListener('click', () => { view.goTo(mark.locator); closePanels() })
        li.append(go)
        list.append(li)
    }
    $('bookmarks-heading').hidden = !items.length
}

// Where the child is: in a picture book the page shown, not the one foliate-js reports.
const here = () => (view?.isFixedLayout ? shownPage?.location : view?.lastLocation) ?? null

async function addBookmark() {
    const location = here()
    if (!location?.cfi) return
    const label = `${location.tocItem?.label?.trim() || S.chapter} · ${Math.round((location.fraction ?? 0) * 100)} %`
    try {
        const response = await api(config.bookmarksUrl, {
            method: 'POST',
            body: JSON.stringify({ book: config.bookId, locator: location.cfi, label }),
        })
        if (response.ok) {
            announce(S.bookmarkAdded)
            showStatus(S.bookmarkAdded)
            loadBookmarks()
        }
    } catch { /* offline */ }
}

// --- page turning ---------------------------------------------------------------------------

// Page turns run one after the other: a quick second tap waits for the first turn instead of
// being lost while the page is still moving. Each waits for the whole turn before it, however
// long a new chapter takes to load on a slow tablet: foliate-js ignores a turn asked for while
// its own is still on its way, so starting the next one early (as a timer once did) lost it.
// data-reader-turning is on the page while a turn is on its way.
//
// A turn asked for while the book opens waits until its first page is shown: foliate-js's
// paginator is busy with view.init's own first turn then (it ignored the key), and a turn asked
// for before view.init loaded the first chapter beside it. data-reader-turns counts the turns
// that have ended, so a browser test waits for the turn it asked for, not for a fraction that a
// re-layout (a font loading, the status line closing) can also move.
let bookOpened
const opening = new Promise(resolve => { bookOpened = resolve })
let turning = opening
let pendingTurns = 0
let turnsDone = 0

function turn(direction) {
    if (pendingTurns > 1) return
    pendingTurns++
    document.documentElement.dataset.readerTurning = 'true'
    turning = turning
        .then(() => (direction < 0 ? view.goLeft() : view.goRight()))
        .catch(error => console.error(error))
        .finally(() => {
            document.documentElement.dataset.readerTurns = String(++turnsDone)
            if (--pendingTurns === 0) delete document.documentElement.dataset.readerTurning
        })
}

// foliate-js's paginator ends every touch on the page with snap(): it settles a swipe on the
// nearest page and, from the blank page at a chapter's edge, loads the next chapter. A tap on a
// tap zone is a touch too. When its snap ran while that tap's turn into a new chapter was under
// way (the paginator shows the blank edge page meanwhile), both loaded the chapter at once; the
// second removed the first one's frame before it loaded, the turn never ended, and foliate-js
// ignored every later button, key and tap. So a snap waits for the turns asked for before it.
function queueSnaps(renderer) {
    const snap = renderer.snap?.bind(renderer)
    if (!snap) return
    renderer.snap = (...args) => {
        if (pendingTurns) turning.then(() => snap(...args))
        else snap(...args)
    }
}

function onKey(event) {
    if (event.target.closest?.('input, select, textarea, .reader-panel')) return
    const key = event.key
    if (key === 'ArrowLeft' || key === 'PageUp') { event.preventDefault(); turn(-1) }
    else if (key === 'ArrowRight' || key === 'PageDown' || key === ' ') { event.preventDefault(); turn(1) }
}

// Tap zones: the outer fifths of the page turn it, the middle is for reading.
function tapAt(x) {
    const stage = $('book-stage').getBoundingClientRect()
    if (x - stage.left < stage.width * 0.2) turn(-1)
    else if (x - stage.left > stage.width * 0.8) turn(1)
}

function onBookLoad({ detail: { doc, index } }) {
    doc.addEventListener('keydown', onKey)
    doc.addEventListener('click', event => {
        if (event.target.closest('a[href]') || !doc.getSelection()?.isCollapsed) return
        // The paginator's iframe is as wide as the whole chapter and scrolls: place the tap
        // on the screen through the frame's own position.
        const frame = doc.defaultView.frameElement?.getBoundingClientRect()
        tapAt((frame?.left ?? 0) + event.clientX)
    })
    if (view.isFixedLayout) {
        if (view.book.sections[index]?.bibblixTextPage) fitTextPage(doc)
        enablePinch(doc)
    }
}

// A picture book may mix its pictures with text pages that the EPUB lays out as reflowable
// (The Voyage of Life opens on one). Shown in the librarian's fixed layout, foliate-js sized
// such a page by its first picture, or 1000×2000 without one, and on a phone the text was cut
// off at the bottom. Such a page instead fills one page's space on the stage (the space between
// the toolbars, half of it for a spread) and its text scrolls inside it at the reader's size.
function markTextPages(book) {
    const fixedBook = book.rendition.layout === 'pre-paginated'
    const spine = book.resources?.spine ?? []
    book.sections.forEach((section, index) => {
        const properties = spine[index]?.properties ?? []
        const fixed = properties.includes('rendition:layout-pre-paginated')
            || (fixedBook && !properties.includes('rendition:layout-reflowable'))
        if (!fixed) section.bibblixTextPage = true
    })
}

// Runs on the page's load event, before foliate-js reads the page's viewport.
function fitTextPage(doc) {
    if (!doc.head || doc.querySelector('meta[name="viewport"]')) return
    const { width, height } = view.renderer.getBoundingClientRect()
    const pageWidth = height > width ? width : width / 2
    const meta = doc.createElement('meta')
    meta.name = 'viewport'
    meta.content = `width=${Math.floor(pageWidth)}, height=${Math.floor(height)}`
    const style = doc.createElement('style')
    style.textContent = `html { height: 100%; overflow: hidden }
        body { box-sizing: border-box; height: 100%; overflow-y: auto;
               margin: 0 !important; padding: 1em 1.25em !important }`
    doc.head.append(meta, style)
}

// Pinch-zoom on picture books: two fingers change the fixed-layout renderer's zoom.
function enablePinch(doc) {
    let start = null
    const distance = t => Math.hypot(t[0].clientX - t[1].clientX, t[0].clientY - t[1].clientY)
    doc.addEventListener('touchstart', e => {
        if (e.touches.length === 2) start = { d: distance(e.touches), scale: currentScale() }
    }, { passive: true })
    doc.addEventListener('touchmove', e => {
        if (!start || e.touches.length !== 2) return
        settings.zoom = Math.min(4, Math.max(0.25, start.scale * distance(e.touches) / start.d))
        view.renderer.setAttribute('zoom', settings.zoom)
    }, { passive: true })
    doc.addEventListener('touchend', () => {
        if (start) applySettings()
        start = null
    })
}

function onRelocate({ detail }) {
    // In a picture book foliate-js names the spread's right page; shownPage reports the page shown.
    if (!view.isFixedLayout) showLocation(detail)
}

function showLocation(detail) {
    const fraction = detail.fraction ?? 0
    const percent = Math.round(fraction * 100)
    $('progress').value = String(fraction)
    const section = view.isFixedLayout
        ? format(S.page, { current: (detail.section?.current ?? 0) + 1, total: detail.section?.total ?? '' })
        : (detail.tocItem?.label?.trim() || '')
    const label = `${format(S.percent, { percent: `${percent} %` })}${section ? ` · ${section}` : ''}`
    $('progress-label').textContent = label
    $('progress').setAttribute('aria-valuetext', label)
    document.documentElement.dataset.readerFraction = String(fraction)
    if (firstPage) firstPage = false
    else announce(label)
    position.queue(detail)
}

// --- loans and protection -------------------------------------------------------------------

async function loanEnded() {
    readAloud?.stop()
    flushSave()
    view?.close()
    view?.remove()
    $('reader').dataset.state = 'ended'
    showStatus(S.loanEnded, 'warn')
    await offline.purgeBook(config.bookId)
}

function renewAccess() {
    // Fresh signed URLs every few minutes; a 410 means the loan ended while the book was open.
    setInterval(async () => {
        try {
            const response = await fetch(config.accessUrl, { credentials: 'same-origin' })
            if (response.status === 410) return loanEnded()
            if (response.ok) config.epubUrl = (await response.json()).epub
        } catch { /* offline: keep reading the saved copy */ }
    }, config.renewSeconds * 1000)
}

async function fetchBook() {
    const response = await fetch(config.epubUrl, { credentials: 'same-origin' })
    if (response.status === 403 || response.status === 410) {
        await loanEnded()
        return null
    }
    if (!response.ok) throw new Error(`${response.status}`)
    return new File([await response.blob()], 'book.epub', { type: 'application/epub+zip' })
}

// --- start ----------------------------------------------------------------------------------

async function open() {
    showStatus(S.loading)
    const file = await fetchBook()
    if (!file) return
    const book = await makeBook(file)
    // Librarians mark picture books as fixed layout; show those page by page even when the
    // EPUB declares the layout only on single spine items.
    if (config.layout === 'fixed' && book.rendition) {
        markTextPages(book)
        book.rendition.layout = 'pre-paginated'
    }
    if (book.media) book.media.activeClass ||= 'bibblix-narrating'
    view = document.createElement('foliate-view')
    view.id = 'book'
    view.setAttribute('lang', config.language)
    $('book-stage').append(view)
    view.addEventListener('load', onBookLoad)
    view.addEventListener('relocate', onRelocate)
    await view.open(book)
    queueSnaps(view.renderer)
    if (view.isFixedLayout) {
        shownPage = new ShownPage(view)
        shownPage.addEventListener('change', ({ detail }) => showLocation(detail))
    }
    if (view.mediaOverlay || ReadAloud.available) readAloud = new ReadAloud(view, config.language)
    if (!view.isFixedLayout) {
        view.renderer.setAttribute('max-column-count', '2')
        view.renderer.setAttribute('margin', '32px')
        view.renderer.setAttribute('max-inline-size', columnWidth(comfort(config)))
        view.renderer.setAttribute('gap', '6%')
    }
    $('reader').dataset.layout = view.isFixedLayout ? 'fixed' : 'reflowable'
    applySettings()
    buildToc(book.toc, $('toc-list'), href => view.goTo(href), S.chapter)
    const saved = await position.load()
    await view.init({ lastLocation: saved?.locator })
    await settleOnTextPage()
    await markFirstPage()
    bookOpened()
    showStatus(navigator.onLine ? '' : S.offline)
    // "Welcome back" only when there is a place to come back to, not the book's first page.
    const atStart = view.renderer.atStart ?? !(saved?.percentage > 0)
    if (saved?.locator && !atStart) $('welcome-back').hidden = false
    setupReadAloud()
}

// foliate-js's paginator keeps a blank page before and after each chapter's text (pages 0 and
// pages − 1). A saved place that is a range over a whole title page resolves to a rectangle
// left of the first column, and foliate-js opened the book on the blank page before it: every
// other opening showed nothing (the book just off-screen) and saved the blank page's CFI, which
// opened correctly the next time. Land on the nearest page with text instead.
async function settleOnTextPage() {
    const renderer = view.renderer
    if (view.isFixedLayout || renderer.scrolled || !(renderer.pages > 2)) return
    const edge = renderer.page < 1 ? 0 : renderer.page > renderer.pages - 2 ? 1 : null
    if (edge === null) return
    // A fraction as the anchor (not the range again): later re-layouts keep the text page.
    const index = renderer.getContents()[0]?.index ?? view.lastLocation?.section?.current ?? 0
    await renderer.goTo({ index, anchor: edge })
}

// The benchmark and the browser tests wait for this mark: the first page is laid out (fonts
// loaded) and painted, so it can be read and turned.
async function markFirstPage() {
    const doc = view.renderer.getContents()[0]?.doc
    await doc?.fonts?.ready
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    performance.mark('bibblix:first-page')
    document.documentElement.dataset.readerReady = 'true'
    window.dispatchEvent(new CustomEvent('bibblix:first-page'))
}

function setupReadAloud() {
    if (!readAloud) {
        $('aloud-play').disabled = true
        $('aloud-hint').textContent = S.noVoices
        return
    }
    $('aloud-source').textContent = readAloud.usesNarration ? $('aloud-source').dataset.narration : $('aloud-source').dataset.speech
    readAloud.addEventListener('state', ({ detail }) => {
        $('aloud-play').setAttribute('aria-pressed', String(detail === 'playing'))
        $('aloud-play').dataset.state = detail
        $('reader').dataset.aloud = detail
    })
    $('aloud-play').addEventListener('click', () =>
        readAloud.state === 'playing' ? readAloud.pause() : readAloud.play())
    $('aloud-stop').addEventListener('click', () => readAloud.stop())
    $('aloud-rate').addEventListener('change', e => readAloud.setRate(Number(e.target.value)))
}

// The progress bar: in a picture book its value is pages shown / pages (see shown-page.js).
function goToFraction(value) {
    if (!view) return
    if (!view.isFixedLayout) return view.goToFraction(value)
    const total = view.book.sections.length
    return view.goTo(Math.min(total - 1, Math.max(0, Math.ceil(value * total) - 1)))
}

// --- toolbar ------------------------------------------------------------------------------

// The toolbar keeps one row at any text size (WCAG 1.4.4, 1.4.10): when the tools do not fit
// beside "Stäng" and a few letters of the title, they fold into the "Meny" button.
function fitToolbar() {
    const reader = $('reader')
    const bar = reader.querySelector('.reader-bar')
    const title = reader.querySelector('.reader-title')
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16
    const wasCompact = 'compact' in reader.dataset
    delete reader.dataset.compact
    const compact = bar.scrollWidth > bar.clientWidth + 1
    if (compact) reader.dataset.compact = ''
    else if (wasCompact) toggleTools(false)
    // A title squeezed to a letter or two says nothing: then only screen readers get it.
    if (title.clientWidth < 4 * rem) reader.dataset.titleHidden = ''
    else delete reader.dataset.titleHidden
}

function toggleTools(open) {
    const tools = $('reader-tools')
    if (open) tools.dataset.open = ''
    else delete tools.dataset.open
    $('tools-button').setAttribute('aria-expanded', String(open))
}

function bindToolbar() {
    $('tools-button').addEventListener('click', () => {
        const open = !('open' in $('reader-tools').dataset)
        toggleTools(open)
        if (open) $('reader-tools').querySelector('button')?.focus()
    })
    // Choosing a tool closes the menu (its panel opens below the bar).
    $('reader-tools').addEventListener('click', event => {
        if (event.target.closest('button') && 'compact' in $('reader').dataset) toggleTools(false)
    })
    document.addEventListener('keydown', e => { if (e.key === 'Escape') toggleTools(false) })
    new ResizeObserver(() => fitToolbar()).observe($('reader').querySelector('.reader-bar'))
    fitToolbar()
}

function bindChrome() {
    $('book-stage').addEventListener('click', event => tapAt(event.clientX))
    $('prev-page').addEventListener('click', () => turn(-1))
    $('next-page').addEventListener('click', () => turn(1))
    $('progress').addEventListener('change', e => goToFraction(Number(e.target.value)))
    $('bookmark-add').addEventListener('click', addBookmark)
    $('start-over').addEventListener('click', () => { $('welcome-back').hidden = true; view.goToTextStart?.() ?? view.goTo(0) })
    $('welcome-close').addEventListener('click', () => { $('welcome-back').hidden = true })
    document.addEventListener('keydown', onKey)
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flushSave() })
    window.addEventListener('pagehide', flushSave)
    navigator.serviceWorker?.addEventListener('message', event => {
        if (event.data?.type === 'purged' && event.data.bookId === config.bookId && $('reader').dataset.state !== 'ended')
            showStatus(S.loanEnded, 'warn')
    })
}

async function startOffline() {
    offline.purgeOnLogout()
    if (!config.isLoan || $('reader').dataset.state === 'ended') return
    if (navigator.onLine) await offline.syncWithLoans(config.loansUrl)
    const reg = await offline.register(config.swUrl, config.swScope)
    if (!reg || !navigator.onLine) return
    await navigator.serviceWorker.ready
    // Keep this book (and this page) on the device until the loan ends.
    const result = await offline.keepBook(config.bookId, config.epubUrl)
    if (result?.ok) document.documentElement.dataset.readerOffline = 'saved'
}

bindChrome()
bindToolbar()
bindPanels()
bindSettings()
applySettings()
renewAccess()
loadBookmarks()
window.bibblixReader = {
    get view() { return view },
    get readAloud() { return readAloud },
    get location() { return here() },
    flushSave,
    config,
    offlineBooks: () => offline.listBooks(),
    syncLoans: () => offline.syncWithLoans(config.loansUrl),
}
open().then(startOffline).catch(error => {
    console.error(error)
    showStatus(S.loadFailed, 'warn')
})
