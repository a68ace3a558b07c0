// The reading position: saved to the server through the lending API (debounced, and at once
// when the page is hidden), with a copy on this device for offline reading. The newer wins.

const SAVE_DELAY = 2000

export class Position {
    #pending = null
    #timer = null

    constructor({ url, enabled, key, api }) {
        this.url = url
        this.enabled = enabled // only loans are saved to the server
        this.key = key
        this.api = api
    }

    #local() {
        return JSON.parse(localStorage.getItem(this.key) || 'null')
    }

    async load() {
        const local = this.#local()
        if (!this.enabled) return local
        try {
            const response = await this.api(this.url)
            if (response.ok) {
                const remote = await response.json()
                if (remote?.locator && (!local?.updated_at
                    || Date.parse(remote.updated_at) >= Date.parse(local.updated_at))) return remote
            }
        } catch { /* offline: this device's copy will do */ }
        return local
    }

    queue(location) {
        if (!location?.cfi) return
        this.#pending = {
            locator: location.cfi,
            percentage: Math.round((location.fraction ?? 0) * 10000) / 10000,
            updated_at: new Date().toISOString(),
        }
        localStorage.setItem(this.key, JSON.stringify(this.#pending))
        clearTimeout(this.#timer)
        this.#timer = setTimeout(() => this.flush(), SAVE_DELAY)
    }

    flush() {
        clearTimeout(this.#timer)
        if (!this.#pending || !this.enabled) return
        const body = JSON.stringify(this.#pending)
        this.#pending = null
        // keepalive lets the request finish while the page is being hidden or closed;
        // updated_at (when the child was there) lets the server ignore an older write.
        this.api(this.url, { method: 'PUT', body, keepalive: true })
            .catch(() => { /* offline: the local copy stays, the next save sends it */ })
    }
}
