// `npm run cli -- import wordpress FILE.xml`: imports a WordPress export (WXR) into the database
// and prints what was created, updated, skipped and dropped.
import cliProgress from 'cli-progress'
import type { Config } from '../config.js'
import { importWordpress, type ImportSummary } from '../wordpress/importer.js'
import { WxrError } from '../wordpress/wxr-reader.js'
import { openStore } from '../db/open.js'

const USAGE = 'usage: npm run cli -- import wordpress FILE.xml'

function entries (record: Record<string, number>): string {
  const list = Object.entries(record).sort((a, b) => b[1] - a[1])
  return list.length > 0 ? list.map(([k, v]) => `${k} ${v}`).join(', ') : 'none'
}

export function formatSummary (s: ImportSummary, seconds: number): string {
  const kind = (name: string, c: ImportSummary['sections']) =>
    `  ${name.padEnd(10)}${String(c.created).padStart(6)} created ${String(c.updated).padStart(6)} updated ${String(c.skipped).padStart(6)} skipped`
  const lines = [
    `WordPress import finished in ${seconds.toFixed(1)} s`,
    kind('sections', s.sections), kind('tags', s.tags), kind('authors', s.authors), kind('articles', s.articles),
    `  articles by status: ${s.articleStatuses.published} published, ${s.articleStatuses.scheduled} scheduled, ${s.articleStatuses.draft} draft`,
    `  skipped posts: ${entries(s.skipped)}`,
    `  other items not imported: ${entries(s.otherItems)}`,
    `  body blocks: ${s.blocks.images} images (${s.blocks.captions} with captions), ${s.blocks.embeds} embeds`,
    `  dropped shortcodes: ${entries(s.droppedShortcodes)}`,
    `  extra categories ignored (an article has one section): ${s.extraCategoriesIgnored}`,
    `  warnings: ${s.warnings.length + s.warningsOmitted}`,
    ...s.warnings.map((w) => `    - ${w}`),
  ]
  if (s.warningsOmitted > 0) lines.push(`    … and ${s.warningsOmitted} more`)
  return lines.join('\n')
}

export async function importCommand (args: string[], { config }: { config: Config }): Promise<void> {
  const [source, file, ...rest] = args
  if (source !== 'wordpress' || !file || rest.length > 0) {
    console.error(USAGE)
    process.exitCode = 2
    return
  }
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: '{phase} [{bar}] {percentage}% | {value}/{total} MB', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null
  const store = await openStore(config)
  const started = performance.now()
  let phase = ''
  try {
    const summary = await importWordpress(store, file, {
      now: () => Date.now(),
      onProgress: (next, bytes, total) => {
        if (!bar) return
        const mb = (n: number) => Math.round(n / 1e5) / 10
        if (next !== phase) {
          if (phase) bar.stop()
          phase = next
          bar.start(mb(total), 0, { phase: next === 'scan' ? 'pass 1/2 scanning ' : 'pass 2/2 importing' })
        }
        bar.update(mb(bytes))
      },
    })
    bar?.stop()
    console.log(formatSummary(summary, (performance.now() - started) / 1000))
  } catch (error) {
    bar?.stop()
    if (!(error instanceof WxrError)) throw error
    console.error(`import failed: ${error.message}`)
    process.exitCode = 1
  } finally {
    await store.close()
  }
}
