import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { GROUP_LABEL, groupOf, guardedCount, MIN_GROUP, takingPartShown, type CreatedProgramme, type PerspectiveGroup } from '../../shared/coproduction.ts'
import type { ExportSection } from '../../shared/exportModel.ts'
import { EVIDENCE_SCHEMA_VERSION, SMALLER_GROUPS, SMALLER_GROUPS_LABEL, type AgreedText, type AgreedTextHistory, type EvidenceModel, type ProgrammeView, type WorkshopEvidence } from '../../shared/programme.ts'
import { SectionKind } from '../../shared/sections.ts'
import { hashesEqual, hashToken, newId, newToken } from '../domain/tokens.ts'
import type { ProgrammeStore } from '../storage/ProgrammeStore.ts'
import { heldDayOf } from '../storage/WorkshopStore.ts'
import type { CheckoutService } from './CheckoutService.ts'
import type { CommitmentService } from './CommitmentService.ts'
import type { ExportService } from './ExportService.ts'

/** The texts a programme carries from workshop to workshop. */
const CARRIED_KINDS = [SectionKind.vision, SectionKind.values, SectionKind.groundRules] as const

export interface ProgrammeServiceDeps {
  programmes: ProgrammeStore
  exports: ExportService
  commitments: CommitmentService
  checkouts: CheckoutService
  /** Perspectives of everyone who joined a workshop (for counts by group). */
  perspectiveCounts: (workshopId: string) => { perspective: string | null; n: number }[]
  today: () => string
}

/** Programmes: workshops over months, their agreed texts and history, trends and the evidence pack. */
export class ProgrammeService {
  constructor(private readonly deps: ProgrammeServiceDeps) {}

  create(title: string, publicOrigin: string): CreatedProgramme {
    const programmeId = newId()
    const programmeKey = newToken()
    this.deps.programmes.create({ programmeId, title, programmeKeyHash: hashToken(programmeKey), createdDay: this.deps.today() })
    // The key travels in the fragment, which browsers never send to a server or put in logs.
    return { programmeId, programmeKey, programmeUrl: `${publicOrigin}/p/${programmeId}#key=${programmeKey}` }
  }

  /** 404 unknown programme, 401 no or wrong key. */
  authenticate(programmeId: string, token: string | null): Result<{ programmeId: string }> {
    const programme = this.deps.programmes.get(programmeId)
    if (!programme) return fail(ErrorCode.notFound, 'There is no programme at this address.')
    if (!token || !hashesEqual(hashToken(token), programme.programmeKeyHash))
      return fail(ErrorCode.unauthorized, 'This needs the programme key. Open the programme link you were given.')
    return ok({ programmeId })
  }

  /** The programme a key belongs to, if any. */
  programmeOfKey(token: string | null): string | null {
    return token ? this.deps.programmes.findByKeyHash(hashToken(token)) : null
  }

  programmeOf(workshopId: string): string | null {
    return this.deps.programmes.programmeOf(workshopId)
  }

  workshopCount(programmeId: string): number {
    return this.deps.programmes.workshops(programmeId).length
  }

  attach(programmeId: string, workshopId: string): void {
    this.deps.programmes.attach(programmeId, workshopId)
  }

  /** The latest agreed vision, values and ground rules, for a new workshop to start from. */
  currentTexts(programmeId: string): Partial<Record<SectionKind, AgreedText>> {
    const current: Partial<Record<SectionKind, AgreedText>> = {}
    for (const history of this.agreedTexts(programmeId)) if (history.current) current[history.kind] = history.current
    return current
  }

  view(programmeId: string): Result<ProgrammeView> {
    const programme = this.deps.programmes.get(programmeId)
    if (!programme) return fail(ErrorCode.notFound, 'There is no programme at this address.')
    const workshops = this.deps.programmes.workshops(programmeId)
    return ok({
      programmeId,
      title: programme.title,
      createdOn: programme.createdDay,
      workshops: workshops.map((w) => ({ workshopId: w.workshopId, title: w.title, day: w.createdDay, position: w.position })),
      agreedTexts: this.agreedTexts(programmeId),
      commitments: workshops.flatMap((w) => this.deps.commitments.list(w.workshopId).map((c) => ({ ...c, workshopTitle: w.title }))),
      trend: workshops.map((w) => ({ workshopId: w.workshopId, ...this.workshopEvidence(w.workshopId, w.title, heldDayOf(w), w.heldDay) })),
    })
  }

  evidence(programmeId: string): Result<EvidenceModel> {
    const view = this.view(programmeId)
    if (!view.ok) return view
    const { title, createdOn, agreedTexts, trend, commitments } = view.value
    // Alphabetical: nothing follows who wrote what, or when.
    const reflections = trend
      .flatMap((w) => this.deps.checkouts.results(w.workshopId).reflections)
      .sort((a, b) => a.localeCompare(b))
    return ok({
      schemaVersion: EVIDENCE_SCHEMA_VERSION,
      programme: { title, createdOn, exportedOn: this.deps.today() },
      agreedTexts,
      workshops: trend.map(({ workshopId: _omit, ...evidence }) => evidence),
      commitments: commitments.map((c) => ({ workshopTitle: c.workshopTitle, text: c.text, ownerRole: c.ownerRole, due: c.due, status: c.status, updates: c.updates })),
      reflections,
    })
  }

  private workshopEvidence(workshopId: string, title: string, day: string, heldDay: string | null): WorkshopEvidence {
    const today = this.deps.today()
    const checkout = (({ reflections: _omit, ...summary }) => summary)(this.deps.checkouts.results(workshopId))
    // Not while people may still be joining on the day (see WorkshopEvidence.takingPartWaits).
    if (!takingPartShown(heldDay, today)) return { title, day, takingPart: [], takingPartWaits: true, checkout }
    const counts = new Map<PerspectiveGroup, number>()
    for (const { perspective, n } of this.deps.perspectiveCounts(workshopId)) {
      const group = groupOf(perspective)
      counts.set(group, (counts.get(group) ?? 0) + n)
    }
    return {
      title,
      day,
      takingPart: takingPart(counts),
      checkout,
    }
  }

  /** Each carried text, workshop by workshop: when it was agreed (by day) and whether it changed. */
  private agreedTexts(programmeId: string): AgreedTextHistory[] {
    const workshops = this.deps.programmes.workshops(programmeId)
    const sectionsOf = workshops.map((w) => {
      const model = this.deps.exports.model(w.workshopId)
      return { workshop: w, sections: model.ok ? model.value.sections : ([] as ExportSection[]) }
    })
    return CARRIED_KINDS.map((kind) => {
      const history: AgreedTextHistory['history'] = []
      let title: string | null = null
      let previous: string | null = null
      for (const { workshop, sections } of sectionsOf) {
        const section = sections.find((s) => s.kind === kind && s.agreement.status === 'agreed')
        if (!section) continue
        title ??= section.title
        const agreed = { text: section.agreement.text, items: section.agreement.items }
        const key = JSON.stringify(agreed)
        history.push({ day: workshop.createdDay, workshopTitle: workshop.title, changed: previous !== null && previous !== key, agreed })
        previous = key
      }
      return { kind, title: title ?? DEFAULT_TITLE[kind], current: history.at(-1)?.agreed ?? null, history }
    })
  }
}

const DEFAULT_TITLE: Record<(typeof CARRIED_KINDS)[number], string> = {
  vision: 'Our shared vision',
  values: 'Our values',
  'ground-rules': 'Our ground rules',
}

/** Groups of at least MIN_GROUP by name; the rest together, never one by one (see WorkshopEvidence). */
function takingPart(counts: ReadonlyMap<PerspectiveGroup, number>): WorkshopEvidence['takingPart'] {
  const order = Object.keys(GROUP_LABEL) as PerspectiveGroup[]
  const named = order.filter((group) => (counts.get(group) ?? 0) >= MIN_GROUP)
  const smaller = order.filter((group) => !named.includes(group)).reduce((sum, group) => sum + (counts.get(group) ?? 0), 0)
  return [
    ...named.map((group) => ({ group, label: GROUP_LABEL[group], count: guardedCount(counts.get(group)!) })),
    ...(smaller > 0 ? [{ group: SMALLER_GROUPS, label: SMALLER_GROUPS_LABEL, count: guardedCount(smaller) }] : []),
  ]
}
