// The page of a fixed-layout picture book that the child actually sees.
//
// foliate-js 1.0.1's fixed-layout renderer reports the right-hand page of a spread as the
// current one (its `index` getter reads a `side` property that does not exist), and it shows
// the other page of the same spread (narration, a resize) without a `relocate` event. So the
// reader looks at the page frames themselves: each frame's section comes from the view's `load`
// events, and a page counts when its frame is visible. When both pages of a spread are on
// screen (a wide display), the spread's first page in reading order counts (the left one in a
// left-to-right book), like the first page of two columns in a reflowable book.

export class ShownPage extends EventTarget {
    #view
    #sections = new WeakMap() // page document → spine index
    #index = null

    // Create it right after view.open, before the first page loads.
    constructor(view) {
        super()
        this.#view = view
        view.addEventListener('load', ({ detail: { doc, index } }) => this.#watch(doc, index))
        view.addEventListener('relocate', () => this.#check())
    }

    // The spine index of the page shown, or null before the first page is on screen.
    get index() { return this.#index }

    // What the reader shows and saves for the page shown: the same shape as foliate-js's
    // `view.lastLocation` (cfi, fraction, section, tocItem), for the page the child sees.
    get location() {
        const index = this.#index
        if (index == null) return null
        const view = this.#view
        // A page counts as read once it is shown, and every page counts the same: page 1 of 10
        // is 10 % (foliate-js weighs sections by their size in bytes, so a title page with a
        // big picture made page 1 of 10 read as 25 %).
        const total = view.book.sections.length
        return {
            cfi: view.getCFI(index),
            fraction: total ? Math.min(1, (index + 1) / total) : 0,
            section: { current: index, total: view.book.sections.length },
            tocItem: view.getProgressOf(index)?.tocItem,
        }
    }

    #watch(doc, index) {
        this.#sections.set(doc, index)
        const frame = doc.defaultView?.frameElement
        if (!frame) return
        // The renderer shows and hides a page through the style of its frame and of the frame's
        // wrapper; a change there without a `relocate` is a switch within the spread.
        const observer = new MutationObserver(() => this.#check())
        for (const element of [frame, frame.parentElement].filter(Boolean))
            observer.observe(element, { attributes: true, attributeFilter: ['style'] })
    }

    #shownIndex() {
        const shown = this.#view.renderer.getContents()
            .filter(({ doc }) => doc?.defaultView?.frameElement?.checkVisibility?.() ?? false)
            .map(({ index, doc }) => index ?? this.#sections.get(doc))
            .filter(index => index != null && index >= 0)
        return shown.length ? Math.min(...shown) : null
    }

    #check() {
        const index = this.#shownIndex()
        if (index == null || index === this.#index) return
        this.#index = index
        this.dispatchEvent(new CustomEvent('change', { detail: this.location }))
    }
}
