// Saves the picture of the web page in docs: a held-out scene run with Centralized, EIUG and ESUC over AWGN at 5 dB
// on a running `./meg up`, in Debian's headless chromium.
//
//   ./meg up                                          # in another terminal; it prints the page's URL with its key
//   npm install --prefix .meg/node puppeteer-core@25.16.0
//   node scripts/web-page-screenshot.cjs "http://localhost:5080/#key=meg_..." docs/images/web-page.png [scene]
const path = require('node:path');
const puppeteer = require(path.join(__dirname, '..', '.meg', 'node', 'node_modules', 'puppeteer-core'));

async function main() {
  const [url, out, scene = '20'] = process.argv.slice(2);
  if (!url || !out) {
    console.error('usage: node scripts/web-page-screenshot.cjs <page URL with #key=...> <out.png> [held-out scene id]');
    process.exit(2);
  }
  const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(url, { waitUntil: 'networkidle0' });
    await page.waitForSelector(`#scene option[value="${scene}"]`);
    await page.select('#scene', scene);
    // Picking a scene fills the sketch and its caption; wait for the caption before running.
    await page.waitForFunction(() => document.querySelector('#prompt').value === document.querySelector('#scene').selectedOptions[0].dataset.caption);
    for (const protocol of ['EIUG', 'ESUC']) {
      await page.click(`[data-testid=protocol-${protocol}]`);
    }
    await page.$eval('[data-testid=snr]', el => { el.value = '5'; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true })); });
    await page.select('#channel', 'awgn');
    await page.click('[data-testid=run]');
    for (const protocol of ['Centralized', 'EIUG', 'ESUC']) {
      await page.waitForSelector(`[data-testid=result-${protocol}][data-state=completed]`, { timeout: 120_000 });
    }
    await new Promise(resolve => setTimeout(resolve, 1500)); // the queue table's next refresh
    await page.screenshot({ path: out, fullPage: true });
    console.log(`saved ${out}`);
  } finally {
    await browser.close();
  }
}

main().catch(error => { console.error(error.message); process.exit(1); });
