// The reader's panels (contents, text and colours, read aloud): one open at a time, Escape
// closes, focus goes into the panel and back to its button.

const $ = id => document.getElementById(id)


export function bindPanels() {
    for (const button of document.querySelectorAll('[data-panel]')) {
        const panel = $(button.dataset.panel)
        button.addEventListener('click', () => {
            const open = panel.hidden
            for (const other of document.querySelectorAll('.reader-panel')) other.hidden = true
            for (const b of document.querySelectorAll('[data-panel]')) b.setAttribute('aria-expanded', 'false')
            panel.hidden = !open
            button.setAttribute('aria-expanded', String(open))
            if (open) panel.querySelector('button, input, select, a')?.focus()
        })
    }
    for (const close of document.querySelectorAll('.panel-close'))
        close.addEventListener('click', () => closePanels(true))
    document.addEventListener('keydown', e => { if (e.key === 'Escape') closePanels(true) })
}

export function closePanels(returnFocus = false) {
    for (const panel of document.querySelectorAll('.reader-panel')) {
        if (panel.hidden) continue
        panel.hidden = true
        const button = document.querySelector(`[data-panel="${panel.id}"]`)
        button?.setAttribute('aria-expanded', 'false')
        if (returnFocus) button?.focus()
    }
}

export function buildToc(items, list, go, fallbackLabel) {
    for (const item of items ?? []) {
        const li = document.createElement('li')
        const button = document.createElement('button')
        button.type = 'button'
        button.className = 'toc-link'
        button.textContent = item.label?.trim() || fallbackLabel
        button.addEventListener('click', () => { go(item.href); closePanels() })
        li.append(button)
        if (item.subitems?.length) {
            const sub = document.createElement('ol')
            buildToc(item.subitems, sub, go, fallbackLabel)
            li.append(sub)
        }
        list.append(li)
    }
}
