import { dayOf, daysUntil, deletionIsNear, formatDay, type RetentionInfo } from '../../shared/retention.ts'

/**
 * When the workshop (or programme) will be deleted, in words. From a week before, `plain` pages (facilitator,
 * projector) show it as a warning box that says how many days are left; the projector shows
 * nothing before then (`onlyWhenNear`).
 */
export function RetentionNotice({
  info,
  warnWhenNear = false,
  onlyWhenNear = false,
  what = 'workshop',
}: {
  info: RetentionInfo | null
  warnWhenNear?: boolean
  onlyWhenNear?: boolean
  what?: 'workshop' | 'programme'
}) {
  if (!info) return null
  const day = formatDay(info.deleteAfter)
  const today = dayOf(new Date())
  if (onlyWhenNear && !deletionIsNear(info.deleteAfter, today)) return null
  if ((warnWhenNear || onlyWhenNear) && deletionIsNear(info.deleteAfter, today)) {
    const left = daysUntil(info.deleteAfter, today)
    return (
      <div className="notice retention-warning" role="note" aria-label="Deletion soon">
        <p>
          <strong>
            {left <= 0 ? 'Today' : left === 1 ? 'Tomorrow' : `In ${left} days`}, on {day}, this {what} and everything in it will be deleted.
          </strong>{' '}
          Download what you need before then.
        </p>
      </div>
    )
  }
  return (
    <p className="retention-notice">
      This {what} and everything in it will be deleted on {day}.
    </p>
  )
}
