import { writeFileSync } from 'node:fs'
import { loadConfig } from '../config.ts'
import { isFormat, type Format } from '../http/exports.ts'
import { createLogger } from '../logger.ts'
import { openStorage } from '../storage/openStorage.ts'
import { OperatorTools } from './OperatorTools.ts'

const USAGE = `Usage: npm run admin -- <command>
  list [--show-titles]                    workshops by id, size and deletion day (titles only if asked),
                                          then programmes: "programme", id, number of workshops, deletion day
  export <workshopId> [--format md|json|csv|pdf|docx] [--out file]
                                          the facilitator's export (to stdout unless --out)
  delete <workshopId|programmeId>         delete one workshop, or one programme with its workshops
  purge                                   delete every workshop and programme past its deletion day
Reads DATA_DIR (or DATABASE_URL) and RETENTION_DAYS like the server. Safe to run while the server runs.`

/** `npm run admin` and `npm run purge`. Log lines (deletion events) go to stderr. */
async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args
  const option = (name: string) => {
    const at = rest.indexOf(name)
    return at >= 0 ? rest[at + 1] : undefined
  }
  const config = loadConfig()
  const log = createLogger(config.logLevel, (line) => process.stderr.write(line + '\n'))
  const storage = openStorage(config, { operator: true })
  const db = storage.db
  const tools = new OperatorTools(db, config, log)
  try {
    switch (command) {
      case 'list': {
        const rows = tools.list(rest.includes('--show-titles'))
        process.stdout.write(rows.map((row) => [row.workshopId, row.sizeBytes, row.deleteAfter, ...(row.title !== undefined ? [row.title] : [])].join('\t') + '\n').join(''))
        const programmes = tools.listProgrammes(rest.includes('--show-titles'))
        process.stdout.write(
          programmes.map((row) => ['programme', row.programmeId, row.workshops, row.deleteAfter, ...(row.title !== undefined ? [row.title] : [])].join('\t') + '\n').join(''),
        )
        return 0
      }
      case 'export': {
        const format = (option('--format') ?? 'md') as Format
        if (!rest[0] || !isFormat(format)) return usage()
        const body = await tools.export(rest[0], format)
        if (body === null) return fail(`No workshop with id ${rest[0]}.`)
        const out = option('--out')
        if (out) writeFileSync(out, body)
        else process.stdout.write(body)
        return 0
      }
      case 'delete': {
        if (!rest[0]) return usage()
        const kind = await tools.delete(rest[0])
        if (!kind) return fail(`No workshop or programme with id ${rest[0]}.`)
        process.stdout.write(kind === 'workshop' ? `Deleted workshop ${rest[0]} and everything in it.\n` : `Deleted programme ${rest[0]}, its workshops and everything in them.\n`)
        return 0
      }
      case 'purge': {
        const deleted = await tools.purge()
        process.stdout.write(`Purged ${deleted} workshop${deleted === 1 ? '' : 's'} past their deletion day.\n`)
        return 0
      }
      default:
        return usage()
    }
  } finally {
    await storage.close()
  }
}

function usage(): number {
  process.stderr.write(USAGE + '\n')
  return 2
}

function fail(message: string): number {
  process.stderr.write(message + '\n')
  return 1
}

process.exitCode = await main(process.argv.slice(2))
