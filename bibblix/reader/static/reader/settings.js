// The child's reading settings (kept on this device) and the style sheet they give the book.

import { childStorageKey } from './offline.js'

// Per child: the settings of the last child on a shared device are not the next one's.
const SETTINGS_KEY = childStorageKey('reader-settings')
const THEMES = {
    light: { fg: '#1b1b1f', bg: '#fffdf7', link: '#1f5fa8' },
    sepia: { fg: '#3b2f1e', bg: '#f4ecd8', link: '#6a3d00' },
    dark: { fg: '#f2f2f2', bg: '#121417', link: '#9cc7ff' },
}

export const settings = Object.assign(
    { fontSize: 100, dyslexic: false, spacing: 1.5, theme: 'light', zoom: 'fit-page' },
    JSON.parse(localStorage.getItem(SETTINGS_KEY) || '{}'))

export function saveSettings() {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings))
}

export function bookCSS(fontCss) {
    const theme = THEMES[settings.theme] ?? THEMES.light
    const font = settings.dyslexic
        ? `@import url("${new URL(fontCss, location.href)}");
           html, body, p, li, blockquote, dd, div, span { font-family: "OpenDyslexic", sans-serif !important; }`
        : ''
    return `${font}
    html { color-scheme: ${settings.theme === 'dark' ? 'dark' : 'light'}; }
    html, body { color: ${theme.fg} !important; background: transparent !important; }
    html { font-size: ${settings.fontSize}% !important; }
    p, li, blockquote, dd { line-height: ${settings.spacing} !important; }
    a:link, a:visited { color: ${theme.link} !important; }
    .bibblix-narrating, .-epub-media-overlay-active { background: #ffe97a !important; color: #1b1b1f !important; }
    ::selection { background: #ffe97a; color: #1b1b1f; }`
}
