// The child's reading settings (kept on this device) and the style sheet they give the book.

import { childStorageKey } from './offline.js'

// Per child: the settings of the last child on a shared device are not the next one's.
const SETTINGS_KEY = childStorageKey('reader-settings')
const THEMES = {
    light: { fg: '#1b1b1f', bg: '#fffdf7', link: '#1f5fa8' },
    sepia: { fg: '#3b2f1e', bg: '#f4ecd8', link: '#6a3d00' },
    dark: { fg: '#f2f2f2', bg: '#121417', link: '#9cc7ff' },
}

// fontSize is a share of the book's default size (below); spacing null means the default.
export const settings = Object.assign(
    { fontSize: 100, dyslexic: false, spacing: null, theme: 'light', zoom: 'fit-page' },
    JSON.parse(localStorage.getItem(SETTINGS_KEY) || '{}'))

// Reading comfort for children: a legible sans-serif (Atkinson Hyperlegible) at 20–24 px,
// bigger and with more line spacing for easy-to-read books and ages 6–9, bigger on a tablet
// than on a phone; lines of about 60 characters (45–65 is comfortable), so one column on a
// phone or an upright tablet and two only where one line would be too long.
const CHARACTERS_PER_LINE = 60
const CHARACTER_WIDTH = 0.5 // em, Atkinson Hyperlegible's average in Swedish text

export function comfort({ ageMin = 9, isEasyToRead = false } = {}, width = innerWidth) {
    const young = isEasyToRead || ageMin < 9
    const phone = width < 600
    const basePx = young ? (phone ? 22 : 24) : (phone ? 20 : 22)
    return { basePx, spacing: young ? 1.9 : 1.5 }
}

export const fontPx = base => Math.round(base.basePx * settings.fontSize) / 100
export const spacingOf = base => settings.spacing ?? base.spacing

// The widest column for lines of about CHARACTERS_PER_LINE characters at this text size.
export const columnWidth = base =>
    `${Math.round(CHARACTERS_PER_LINE * CHARACTER_WIDTH * fontPx(base))}px`

export function saveSettings() {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings))
}

export function bookCSS(fontCss, readingFontCss, base) {
    const theme = THEMES[settings.theme] ?? THEMES.light
    const font = settings.dyslexic
        ? `@import url("${new URL(fontCss, location.href)}");
           html, body, p, li, blockquote, dd, div, span { font-family: "OpenDyslexic", sans-serif !important; }`
        : `@import url("${new URL(readingFontCss, location.href)}");
           html, body, p, li, blockquote, dd, div, span { font-family: "Atkinson Hyperlegible", sans-serif !important; }`
    return `${font}
    html { color-scheme: ${settings.theme === 'dark' ? 'dark' : 'light'}; }
    html, body { color: ${theme.fg} !important; background: transparent !important; }
    html { font-size: ${fontPx(base)}px !important; }
    body, p, li, blockquote, dd { font-size: 1rem !important; }
    p, li, blockquote, dd { line-height: ${spacingOf(base)} !important; }
    a:link, a:visited { color: ${theme.link} !important; }
    .bibblix-narrating, .-epub-media-overlay-active { background: #ffe97a !important; color: #1b1b1f !important; }
    ::selection { background: #ffe97a; color: #1b1b1f; }`
}
