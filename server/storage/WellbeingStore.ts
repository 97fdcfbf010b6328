import type { Db } from './database.ts'

export interface WellbeingSettingsRow {
  supportContacts: string[]
  contentNote: string
}

export interface WelcomeRow extends WellbeingSettingsRow {
  title: string
}

/**
 * The facilitator's wellbeing settings, in the `workshops` columns a migration added for them.
 * Pause requests are deliberately not here: they live in memory as a count and are never stored.
 */
export class WellbeingStore {
  private readonly select
  private readonly update

  constructor(db: Db) {
    this.select = db.prepare('SELECT title, support_contacts AS supportContacts, content_note AS contentNote FROM workshops WHERE workshop_id = ?')
    this.update = db.prepare('UPDATE workshops SET support_contacts = ?, content_note = ? WHERE workshop_id = ?')
  }

  get(workshopId: string): WelcomeRow | undefined {
    const row = this.select.get(workshopId) as { title: string; supportContacts: string; contentNote: string } | undefined
    if (!row) return undefined
    // One contact per line: the column predates this store and holds plain text.
    return { title: row.title, supportContacts: row.supportContacts.split('\n').filter((line) => line.trim() !== ''), contentNote: row.contentNote }
  }

  set(workshopId: string, settings: WellbeingSettingsRow): void {
    this.update.run(settings.supportContacts.map((line) => line.replace(/\s*\n\s*/g, ' ')).join('\n'), settings.contentNote, workshopId)
  }
}
