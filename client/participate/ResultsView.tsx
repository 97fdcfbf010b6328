import type { PublicResults } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'

/** Results as text first (an ordered list with counts); the bars only repeat it visually. */
export function ResultsView({ results, ideas }: { results: PublicResults; ideas: PublicIdea[] }) {
  const text = new Map(ideas.map((idea) => [idea.ideaId, idea.text]))
  const top = Math.max(1, ...results.ranked.map((r) => r.dots))
  return (
    <div className="results">
      <h3>{results.final ? 'Results' : 'Live results (the vote is still open)'}</h3>
      <p>
        {results.voterCount} {results.voterCount === 1 ? 'person' : 'people'} voted, with {results.budget} dots each.
      </p>
      <ol className="results-list">
        {results.ranked.map((row) => (
          <li key={row.ideaId} value={row.rank}>
            <span className="result-text">{text.get(row.ideaId) ?? 'An idea'}</span>
            <span className="result-count">
              {row.dots} {row.dots === 1 ? 'dot' : 'dots'}
              {row.tied ? ' (tied)' : ''}
            </span>
            <span className="result-bar" aria-hidden="true">
              <span style={{ width: `${(row.dots / top) * 100}%` }} />
            </span>
          </li>
        ))}
      </ol>
    </div>
  )
}
