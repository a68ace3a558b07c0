// Offline copies of borrowed books: talks to the reader's service worker (scope /read/).
// Used by the reader page, and usable on any page of the site (logout purges every copy).

const SCOPE = '/read/'

export async function registration() {
    if (!('serviceWorker' in navigator)) return null
    return navigator.serviceWorker.getRegistration(SCOPE)
}

export async function register(url, scope) {
    if (!('serviceWorker' in navigator) || !window.isSecureContext) return null
    try {
        return await navigator.serviceWorker.register(url, { scope })
    } catch (error) {
        console.warn('service worker not registered', error)
        return null
    }
}

// Send a message to the active worker and wait for its answer (or give up after a while).
export async function tell(message, timeout = 3000) {
    const reg = await registration()
    const worker = reg?.active
    if (!worker) return null
    return new Promise(resolve => {
        const channel = new MessageChannel()
        const timer = setTimeout(() => resolve(null), timeout)
        channel.port1.onmessage = event => {
            clearTimeout(timer)
            resolve(event.data)
        }
        worker.postMessage(message, [channel.port2])
    })
}

// The logged-in child of this page: a keyed hash from the server (<meta name="bibblix-child">),
// empty when nobody is logged in. Storage keys and offline books are per child.
export const currentChild = () =>
    document.querySelector('meta[name="bibblix-child"]')?.content || ''

const CHILD_PREFIX = 'bibblix:child:'
export const childStorageKey = (name, child = currentChild()) =>
    (child ? `${CHILD_PREFIX}${child}:${name}` : `bibblix:${name}`)

// Remove what children left in localStorage: every child's keys, or all but `keep`'s.
export function clearChildStorage(keep = '') {
    for (const key of Object.keys(localStorage))
        if (key.startsWith(CHILD_PREFIX) && !(keep && key.startsWith(`${CHILD_PREFIX}${keep}:`)))
            localStorage.removeItem(key)
}

// Tell the worker who is reading now: another child's books (or anyone's, when nobody is
// logged in) are removed from the device.
export async function setChild(child) {
    clearChildStorage(child)
    return tell({ type: 'child', child })
}

export const keepBook = (bookId, epubUrl) =>
    tell({ type: 'keep', bookId, epubUrl, child: currentChild() }, 30000)
export const purgeBook = bookId => tell({ type: 'purge', bookId })
export const purgeAll = () => tell({ type: 'purge-all' })
export const listBooks = () => tell({ type: 'list' })

// Keep only the books the server still lends to this child. Quietly does nothing when the
// loans API is missing or the network is down: only a real answer removes anything.
export async function syncWithLoans(loansUrl) {
    let response
    try {
        response = await fetch(loansUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    } catch {
        return
    }
    if (response.status === 401 || response.status === 403) return purgeAll()
    if (!response.ok) return
    const data = await response.json()
    const items = Array.isArray(data) ? data : (data.items ?? [])
    return tell({ type: 'keep-only', bookIds: items.map(loan => loan.book) })
}

// A logout form anywhere on the page first removes the offline books, then submits.
export function purgeOnLogout(root = document) {
    for (const form of root.querySelectorAll('form[action$="/logout/"]')) {
        form.addEventListener('submit', event => {
            if (form.dataset.purged) return
            event.preventDefault()
            form.dataset.purged = '1'
            clearChildStorage()
            purgeAll().finally(() => form.submit())
        })
    }
}
