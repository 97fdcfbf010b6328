import type { ConsentCounts, ConsentResponse, PerspectiveSupport } from '../../shared/consent.ts'
import type { Db } from './database.ts'

export interface ProposalRow {
  proposalId: string
  workshopId: string
  sectionId: string
  roundNumber: number
  text: string | null
  items: string[] | null
  adoptedSuggestion: string | null
  revisionNote: string | null
  threshold: number | null
  status: 'open' | 'closed'
  outcome: 'agreed' | 'not-agreed' | null
  counts: ConsentCounts | null
  reasons: { response: ConsentResponse; text: string }[]
  perspectives: PerspectiveSupport | null
}

interface RawProposal extends Omit<ProposalRow, 'items' | 'counts' | 'reasons' | 'perspectives'> {
  items: string | null
  counts: string | null
  reasons: string | null
  perspectives: string | null
}

const parse = <T>(text: string | null, fallback: T): T => (text === null ? fallback : (JSON.parse(text) as T))

const fromRaw = (row: RawProposal): ProposalRow => ({
  ...row,
  items: parse<string[] | null>(row.items, null),
  counts: parse<ConsentCounts | null>(row.counts, null),
  reasons: parse<ProposalRow['reasons']>(row.reasons, []),
  perspectives: parse<PerspectiveSupport | null>(row.perspectives, null),
})

const COLUMNS =
  'proposal_id AS proposalId, workshop_id AS workshopId, section_id AS sectionId, round_number AS roundNumber, text, items, adopted_suggestion AS adoptedSuggestion, revision_note AS revisionNote, threshold, status, outcome, counts, reasons, perspectives'

/** Consent rounds and, while a round is open, each person's response (deleted on close). */
export class ConsentStore {
  private readonly s

  constructor(db: Db) {
    this.s = {
      insert: db.prepare(
        "INSERT INTO proposals (proposal_id, workshop_id, section_id, round_number, text, items, adopted_suggestion, revision_note, threshold, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
      ),
      get: db.prepare(`SELECT ${COLUMNS} FROM proposals WHERE workshop_id = ? AND proposal_id = ?`),
      inSection: db.prepare(`SELECT ${COLUMNS} FROM proposals WHERE workshop_id = ? AND section_id = ? ORDER BY round_number`),
      inWorkshop: db.prepare(`SELECT ${COLUMNS} FROM proposals WHERE workshop_id = ? ORDER BY section_id, round_number`),
      // Delete then insert (not an in-place update): a changed answer gets a fresh cell, like any other.
      deleteResponse: db.prepare('DELETE FROM consent_responses WHERE proposal_id = ? AND responder_key = ?'),
      insertResponse: db.prepare('INSERT INTO consent_responses (workshop_id, proposal_id, responder_key, response, reason) VALUES (?, ?, ?, ?, ?)'),
      responseOf: db.prepare('SELECT response, reason FROM consent_responses WHERE proposal_id = ? AND responder_key = ?'),
      responses: db.prepare('SELECT responder_key AS responderKey, response, reason FROM consent_responses WHERE proposal_id = ?'),
      countResponses: db.prepare('SELECT COUNT(*) AS n FROM consent_responses WHERE proposal_id = ?'),
      close: db.prepare("UPDATE proposals SET status = 'closed', outcome = ?, counts = ?, reasons = ?, perspectives = ? WHERE proposal_id = ?"),
      clearResponses: db.prepare('DELETE FROM consent_responses WHERE proposal_id = ?'),
    }
  }

  insert(row: Pick<ProposalRow, 'proposalId' | 'workshopId' | 'sectionId' | 'roundNumber' | 'text' | 'items' | 'adoptedSuggestion' | 'revisionNote' | 'threshold'>): void {
    this.s.insert.run(
      row.proposalId,
      row.workshopId,
      row.sectionId,
      row.roundNumber,
      row.text,
      row.items ? JSON.stringify(row.items) : null,
      row.adoptedSuggestion,
      row.revisionNote,
      row.threshold,
    )
  }

  get(workshopId: string, proposalId: string): ProposalRow | undefined {
    const row = this.s.get.get(workshopId, proposalId) as RawProposal | undefined
    return row ? fromRaw(row) : undefined
  }

  inSection(workshopId: string, sectionId: string): ProposalRow[] {
    return (this.s.inSection.all(workshopId, sectionId) as RawProposal[]).map(fromRaw)
  }

  inWorkshop(workshopId: string): ProposalRow[] {
    return (this.s.inWorkshop.all(workshopId) as RawProposal[]).map(fromRaw)
  }

  /** `responderKey` is sealed (derived from the person's token): no row names a participant. */
  respond(workshopId: string, proposalId: string, responderKey: string, response: ConsentResponse, reason: string | null): void {
    this.s.deleteResponse.run(proposalId, responderKey)
    this.s.insertResponse.run(workshopId, proposalId, responderKey, response, reason)
  }

  responseOf(proposalId: string, responderKey: string): { response: ConsentResponse; reason: string | null } | undefined {
    return this.s.responseOf.get(proposalId, responderKey) as { response: ConsentResponse; reason: string | null } | undefined
  }

  responses(proposalId: string): { responderKey: string; response: ConsentResponse; reason: string | null }[] {
    return this.s.responses.all(proposalId) as { responderKey: string; response: ConsentResponse; reason: string | null }[]
  }

  responseCount(proposalId: string): number {
    return (this.s.countResponses.get(proposalId) as { n: number }).n
  }

  /** Stores the aggregate (null fields while withheld) and deletes each person's answer. */
  closeAndDetach(proposalId: string, result: Pick<ProposalRow, 'outcome' | 'counts' | 'reasons' | 'perspectives'>): void {
    this.s.close.run(result.outcome, JSON.stringify(result.counts), JSON.stringify(result.reasons), JSON.stringify(result.perspectives), proposalId)
    this.s.clearResponses.run(proposalId)
  }
}
