// The report is printed by Debian's chromium (see scripts/ensure-chromium.mjs); puppeteer must not
// try to download its own browser, which fails on machines without general internet access.
module.exports = { skipDownload: true };
