/** Where the browser is (Debian's `chromium`); without one the browser suites are skipped locally and fail in CI. */
export const chromiumPath = process.env.PRESSBOX_CHROMIUM ?? '/usr/bin/chromium';
