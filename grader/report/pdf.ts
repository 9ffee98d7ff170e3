/**
 * PDF from the report HTML, printed by a real Chromium through puppeteer-core.
 * One browser (and one page) serves a whole batch: open() once, render(html)
 * per report, close() at the end.
 *
 * The page runs with JavaScript off and every request that is not a data: URL
 * aborted (and recorded in `blockedRequests`), so printing never touches the
 * network. That, and the HTML being our own, is why --no-sandbox (needed when
 * running as root, as in containers and CI) is acceptable here.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../util/errors.ts';
import type { Browser, Page } from 'puppeteer-core';

const COMMON_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

export const HOW_TO_GET_CHROMIUM =
  'PDF reports need Chromium or Chrome: install it (Debian/Ubuntu: apt-get install chromium) or set NNGRADE_CHROMIUM to the browser executable. HTML reports do not need it.';

export class ChromiumNotFoundError extends UserError {
  constructor(detail?: string) {
    super(detail ? `no Chromium to print PDF reports: ${detail}` : 'no Chromium found to print PDF reports', { hint: HOW_TO_GET_CHROMIUM });
    this.name = 'ChromiumNotFoundError';
  }
}

/**
 * The browser to use: NNGRADE_CHROMIUM, then PUPPETEER_EXECUTABLE_PATH, then
 * common install paths. Returns undefined when none exists; throws when an
 * environment variable names a file that does not exist (a typo should not
 * silently fall back to another browser).
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ['NNGRADE_CHROMIUM', 'PUPPETEER_EXECUTABLE_PATH']) {
    const v = env[name];
    if (v) {
      if (!existsSync(v)) throw new ChromiumNotFoundError(`${name} is set to ${v}, which does not exist`);
      return v;
    }
  }
  return COMMON_PATHS.find((p) => existsSync(p));
}

export interface PdfPageOptions {
  /** Left of the running header, e.g. the assignment title. */
  headerLeft?: string;
  /** Right of the running header, e.g. the student. */
  headerRight?: string;
  /** Left of the footer (page numbers are on the right). */
  footerLeft?: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const BAR_STYLE = 'font-family: DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif; font-size: 8px; color: #555; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between; gap: 12px;';
const CELL = 'white-space: nowrap; overflow: hidden; text-overflow: ellipsis;';

export class PdfRenderer {
  private browser?: Browser;
  private page?: Page;
  private userDataDir?: string;
  private queue: Promise<unknown> = Promise.resolve();
  readonly executablePath: string;
  /** Tagged (accessible) PDF: about 1.7× slower to print and 3–4× bigger; the HTML report is the accessible one. */
  readonly tagged: boolean;
  /** URLs (other than data:) any rendered page tried to load; all were blocked. */
  readonly blockedRequests: string[] = [];

  /** Throws ChromiumNotFoundError when no browser is found. */
  constructor(opts: { executablePath?: string; tagged?: boolean } = {}) {
    const exe = opts.executablePath ?? findChromium();
    if (!exe) throw new ChromiumNotFoundError();
    this.executablePath = exe;
    this.tagged = opts.tagged ?? false;
  }

  async open(): Promise<this> {
    if (this.browser?.connected) return this;
    const { default: puppeteer } = await import('puppeteer-core');
    this.userDataDir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-chromium-'));
    try {
      this.browser = await puppeteer.launch({
        executablePath: this.executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-extensions',
          '--disable-dev-shm-usage',
          '--font-render-hinting=none',
          `--user-data-dir=${this.userDataDir}`,
        ],
        timeout: 30_000,
      });
    } catch (e) {
      rmSync(this.userDataDir, { recursive: true, force: true });
      throw new ChromiumNotFoundError(`${this.executablePath} did not start (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    }
    this.page = await this.newPage();
    return this;
  }

  private async newPage(): Promise<Page> {
    const page = await this.browser!.newPage();
    await page.setJavaScriptEnabled(false);
    // The reports carry a Content-Security-Policy for whoever opens the HTML; here request interception is the
    // guard, and bypassing CSP keeps one report's policy from carrying over to the next on this reused page.
    await page.setBypassCSP(true);
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = req.url();
      if (url.startsWith('data:') || url === 'about:blank') {
        void req.continue();
      } else {
        this.blockedRequests.push(url);
        void req.abort('blockedbyclient');
      }
    });
    await page.emulateMediaType('print');
    return page;
  }

  /** Print one HTML document to PDF (A4, page X of Y in the footer). Calls are serialised. */
  render(html: string, opts: PdfPageOptions = {}): Promise<Buffer> {
    const job = this.queue.then(() => this.renderNow(html, opts));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async renderNow(html: string, opts: PdfPageOptions): Promise<Buffer> {
    if (!this.browser?.connected) {
      await this.close();
      await this.open();
    }
    if (!this.page || this.page.isClosed()) this.page = await this.newPage();
    const page = this.page;
    await page.setContent(html, { waitUntil: 'load', timeout: 60_000 });
    const header = `<div style="${BAR_STYLE}"><span style="${CELL}">${esc(opts.headerLeft ?? '')}</span><span style="${CELL}">${esc(opts.headerRight ?? '')}</span></div>`;
    const footer = `<div style="${BAR_STYLE}"><span style="${CELL}">${esc(opts.footerLeft ?? '')}</span><span style="white-space: nowrap;">page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: header,
      footerTemplate: footer,
      margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
      tagged: this.tagged,
      outline: false,
      timeout: 60_000,
    });
    return Buffer.from(pdf);
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    this.page = undefined;
    if (b) await b.close().catch(() => undefined);
    if (this.userDataDir) rmSync(this.userDataDir, { recursive: true, force: true, maxRetries: 3 });
    this.userDataDir = undefined;
  }
}

/** Pages in a PDF Chromium wrote (counts page objects; enough for our own output). */
export function countPdfPages(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}
