import type { PublicResults } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import { IdeaText } from './IdeaText.tsx'

/** Results as text first (an ordered list with counts, L24); the bars only repeat it visually. */
export function ResultsView({ results, ideas }: { results: PublicResults; ideas: PublicIdea[] }) {
  const byId = new Map(ideas.map((idea) => [idea.ideaId, idea]))
  const top = Math.max(1, ...results.ranked.map((r) => r.dots))
  return (
    <div className="results">
      <h3>{results.final ? 'Vote closed — here are the results' : 'Live results (the vote is still open)'}</h3>
      <p>
        {results.voterCount} {results.voterCount === 1 ? 'person' : 'people'} voted, with {results.budget} dots each.
      </p>
      <ol className="results-list">
        {results.ranked.map((row) => {
          const idea = byId.get(row.ideaId)
          return (
            <li key={row.ideaId} value={row.rank}>
              {idea ? <IdeaText idea={idea} className="result-text" /> : <span className="result-text">An idea</span>}
              <span className="result-count">
                {row.dots} {row.dots === 1 ? 'dot' : 'dots'}
                {row.tied ? ' (tied)' : ''}
              </span>
              <span className="result-bar" aria-hidden="true">
                <span style={{ width: `${(row.dots / top) * 100}%` }} />
              </span>
            </li>
          )
        })}
      </ol>
    </div>
  )
}
