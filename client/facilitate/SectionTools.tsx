import type { PublicResults } from '../../shared/ballots.ts'
import type { PublicProposal } from '../../shared/consent.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { groupByTheme } from '../participate/themes.ts'
import { FacilitatorControls } from './FacilitatorControls.tsx'
import { ProposalControls } from './ProposalControls.tsx'
import { VoteControls } from './VoteControls.tsx'

/**
 * A section's facilitator tools: phase, votes and the draft to agree. Its own module so a
 * participant's device never downloads them (SectionCard loads it only with a facilitator key).
 */
export function SectionTools(props: {
  workshopId: string
  facilitatorKey: string
  section: Section
  shown: PublicIdea[]
  ideas: PublicIdea[]
  themes: PublicTheme[]
  proposals: PublicProposal[]
  results: PublicResults | undefined
  participantCount: number
}) {
  const { workshopId, facilitatorKey, section, shown, themes } = props
  return (
    <FacilitatorControls workshopId={workshopId} facilitatorKey={facilitatorKey} section={section} ideas={shown} agreed={props.proposals.some((proposal) => proposal.outcome === 'agreed')}>
      {(section.phase === 'discuss' || section.phase === 'vote') && (
        <VoteControls workshopId={workshopId} facilitatorKey={facilitatorKey} section={section} participantCount={props.participantCount} themeCount={groupByTheme(shown, themes).grouped.length} />
      )}
      {section.phase === 'agree' && (
        <ProposalControls
          workshopId={workshopId}
          facilitatorKey={facilitatorKey}
          section={section}
          proposals={props.proposals}
          results={props.results}
          ideas={props.ideas}
          themes={themes}
          participantCount={props.participantCount}
        />
      )}
    </FacilitatorControls>
  )
}
