import { PHASE_ORDER, stepGuide } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'

/** "What happens now and next", in words, with the step number so colour is never needed. */
export function PhaseLine({ section, sections }: { section: Section; sections: readonly Section[] }) {
  const step = PHASE_ORDER.indexOf(section.phase) + 1
  const guide = stepGuide(section, sections)
  return (
    <div className="phase-line">
      <p className="phase-step">
        <span className="phase-badge">
          Step {step} of {PHASE_ORDER.length}: {guide.label}
        </span>
      </p>
      <p className="phase-now">{guide.now}</p>
      <p className="phase-next">{guide.next}</p>
    </div>
  )
}
