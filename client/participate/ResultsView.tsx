import type { PublicResults } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import { IdeaText } from './IdeaText.tsx'
import { rankedRows } from './themes.ts'

/**
 * Results as text first (an ordered list with counts, L24); the bars only repeat it visually.
 * In a theme vote each row is a theme, with the ideas it was voted on with, or an idea on its own.
 */
export function ResultsView({ results, ideas }: { results: PublicResults; ideas: PublicIdea[] }) {
  const rows = rankedRows(results, ideas)
  const top = Math.max(1, ...rows.map((r) => r.dots))
  return (
    <div className="results">
      <h3>{results.final ? 'Vote closed — here are the results' : 'Live results (the vote is still open)'}</h3>
      <p>
        {/* "with 3 dots each" read as 12 dots used when people placed 11. */}
        {results.voterCount} {results.voterCount === 1 ? 'person' : 'people'} voted
        {results.subject === 'themes' ? ', on themes (an idea in no theme counted on its own)' : ''}. Everyone had {results.budget} {results.budget === 1 ? 'dot' : 'dots'} to place.
      </p>
      <ol className="results-list">
        {rows.map((row) => (
          <li key={row.key} value={row.rank}>
            {row.theme ? (
              <div className="result-text">
                <strong>Theme: {row.theme.name}</strong>
                <ul className="result-theme-ideas">
                  {row.theme.ideas.map((idea) => (
                    <li key={idea.ideaId}>
                      <IdeaText idea={idea} />
                    </li>
                  ))}
                </ul>
              </div>
            ) : row.idea ? (
              <IdeaText idea={row.idea} className="result-text" />
            ) : (
              <span className="result-text">An idea</span>
            )}
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
