// Read-aloud: recorded narration (EPUB Media Overlays) when the book has it, otherwise the
// browser's speech synthesis (Web Speech API) sentence by sentence, with the current sentence
// highlighted (foliate-js's tts.js gives SSML with marks; we speak the text between marks).

const SSML_NS = 'http://www.w3.org/2001/10/synthesis'

// Split foliate's SSML into [{ mark, text }], one entry per sentence mark.
export function sentencesOf(ssml) {
    const doc = new DOMParser().parseFromString(ssml, 'application/xml')
    const parts = []
    let current = { mark: null, text: '' }
    const walk = node => {
        for (const child of node.childNodes) {
            if (child.nodeType === Node.TEXT_NODE || child.nodeType === Node.CDATA_SECTION_NODE)
                current.text += child.textContent
            else if (child.nodeType === Node.ELEMENT_NODE) {
                if (child.localName === 'mark' && child.namespaceURI === SSML_NS) {
                    if (current.text.trim()) parts.push(current)
                    current = { mark: child.getAttribute('name'), text: '' }
                } else walk(child)
            }
        }
    }
    walk(doc.documentElement)
    if (current.text.trim()) parts.push(current)
    return parts.map(p => ({ ...p, text: p.text.replace(/\s+/g, ' ').trim() }))
}

export class ReadAloud extends EventTarget {
    #view
    #lang
    #rate = 1
    #queue = []
    #state = 'stopped' // stopped | playing | paused
    #narration = false
    #generation = 0
    #sections = new WeakMap() // page document → spine index, from the view's 'load' events
    #highlights = 0

    // Create it before the first page loads (after view.open): narration needs to see every
    // page's 'load' event.
    constructor(view, lang) {
        super()
        this.#view = view
        this.#lang = lang
        this.#narration = Boolean(view.mediaOverlay)
        // foliate-js 1.0.1's own highlighter (registered on the overlay in view.open) throws
        // "Cannot destructure property 'doc'" on every highlight of the first section and of a
        // spread's right page (`find(x => x.index = …)` assigns). A fresh overlay of the same book
        // has no such listener; view.startMediaOverlay and this class use the view's property.
        if (this.#narration) {
            view.mediaOverlay = view.book.getMediaOverlay()
            this.#followNarration()
        }
    }

    // foliate-js 1.0.1 marks the narrated element itself, but its lookup fails for the first
    // section (`find(x => x.index = …)`) and, in fixed layout, for the right page of a spread,
    // so we mark it here, for every section.
    #followNarration() {
        let last = null
        const view = this.#view
        const overlay = view.mediaOverlay
        const activeClass = view.book.media?.activeClass || 'bibblix-narrating'
        view.addEventListener('load', ({ detail }) => this.#sections.set(detail.doc, detail.index))
        overlay.addEventListener('highlight', async ({ detail }) => {
            const highlight = ++this.#highlights
            const resolved = view.resolveNavigation(detail.text)
            if (!resolved) return
            await view.renderer.goTo(resolved)
            const doc = await this.#documentOf(resolved.index, highlight)
            const el = doc ? resolved.anchor(doc) : null
            if (highlight !== this.#highlights || !el?.classList) return
            last?.classList.remove(activeClass, 'bibblix-narrating')
            el.classList.add(activeClass, 'bibblix-narrating')
            last = el
            this.dispatchEvent(new CustomEvent('sentence', { detail: { text: el.textContent } }))
        })
        overlay.addEventListener('unhighlight', () => {
            last?.classList.remove(activeClass, 'bibblix-narrating')
            last = null
        })
    }

    // foliate-js 1.0.1's fixed-layout renderer gives its contents no index (so
    // view.startMediaOverlay() starts nowhere there); the 'load' events carry it.
    #indexOf({ index, doc }) {
        return index ?? this.#sections.get(doc)
    }

    // The document of a section, once it is on screen. The page turn may still be on its way
    // (foliate-js's own highlight handler starts the same turn first), so wait for the
    // renderer to relocate, unless a newer highlight came meanwhile.
    async #documentOf(index, highlight) {
        while (highlight === this.#highlights) {
            const found = this.#view.renderer.getContents().find(c => this.#indexOf(c) === index)
            if (found) return found.doc
            await new Promise(resolve => this.#view.addEventListener('relocate', resolve, { once: true }))
        }
    }

    // The first section on screen (in portrait, the fixed-layout renderer hides one page of
    // the spread).
    #sectionOnScreen() {
        const shown = this.#view.renderer.getContents()
            .filter(({ doc }) => doc.defaultView?.frameElement?.checkVisibility?.() ?? true)
            .map(contents => this.#indexOf(contents))
            .filter(index => index != null)
        return shown.length ? Math.min(...shown) : (this.#view.lastLocation?.section?.current ?? 0)
    }

    get state() { return this.#state }
    get usesNarration() { return this.#narration }
    static get available() { return 'speechSynthesis' in window }

    #setState(state) {
        this.#state = state
        this.dispatchEvent(new CustomEvent('state', { detail: state }))
    }

    setRate(rate) {
        this.#rate = rate
        if (this.#narration) this.#view.mediaOverlay.setRate(rate)
        else if (this.#state === 'playing') this.#restart(() => this.#view.tts.resume())
    }

    async play() {
        if (this.#state === 'paused') return this.resume()
        this.#setState('playing')
        if (this.#narration) return this.#view.mediaOverlay.start(this.#sectionOnScreen())
        await this.#view.initTTS('sentence')
        const range = this.#view.lastLocation?.range
        this.#speak(range ? this.#view.tts.from(range) : this.#view.tts.start())
    }

    pause() {
        if (this.#state !== 'playing') return
        this.#setState('paused')
        if (this.#narration) return this.#view.mediaOverlay.pause()
        // Cancel rather than speechSynthesis.pause(): Chromium's pause is unreliable, and
        // tts.resume() starts again at the last sentence mark.
        this.#generation++
        speechSynthesis.cancel()
    }

    resume() {
        this.#setState('playing')
        if (this.#narration) return this.#view.mediaOverlay.resume()
        this.#speak(this.#view.tts.resume())
    }

    stop() {
        this.#setState('stopped')
        if (this.#narration) return this.#view.mediaOverlay?.stop()
        this.#generation++
        if ('speechSynthesis' in window) speechSynthesis.cancel()
    }

    #restart(next) {
        this.#generation++
        speechSynthesis.cancel()
        this.#speak(next())
    }

    #voice() {
        const voices = speechSynthesis.getVoices?.() ?? []
        const lang = (this.#lang || '').toLowerCase()
        return voices.find(v => v.lang.toLowerCase() === lang)
            ?? voices.find(v => v.lang.toLowerCase().startsWith(lang.split('-')[0]))
    }

    #speak(ssml) {
        if (!ssml) return this.#nextSection()
        this.#queue = sentencesOf(ssml)
        const generation = ++this.#generation
        const voice = this.#voice()
        const last = this.#queue.length - 1
        if (last < 0) return this.#continue(generation)
        this.#queue.forEach(({ mark, text }, i) => {
            const utterance = new SpeechSynthesisUtterance(text)
            utterance.lang = this.#lang
            if (voice) utterance.voice = voice
            utterance.rate = this.#rate
            utterance.addEventListener('start', () => {
                if (generation !== this.#generation) return
                if (mark != null) this.#view.tts.setMark(mark)
                this.dispatchEvent(new CustomEvent('sentence', { detail: { mark, text } }))
            })
            if (i === last) utterance.addEventListener('end', () => this.#continue(generation))
            speechSynthesis.speak(utterance)
        })
    }

    #continue(generation) {
        if (generation !== this.#generation || this.#state !== 'playing') return
        this.#speak(this.#view.tts.next())
    }

    async #nextSection() {
        if (this.#state !== 'playing') return
        const before = this.#view.renderer.getContents()[0]?.index
        await this.#view.renderer.nextSection?.()
        const after = this.#view.renderer.getContents()[0]?.index
        if (after === before) return this.stop()
        await this.#view.initTTS('sentence')
        this.#speak(this.#view.tts.start())
    }
}
