import { useEffect, useState } from 'react'
import { GROUND_RULES_INTRO, type GroundRules } from '../../shared/groundRules.ts'
import { callApi } from '../api.ts'
import { IdeaText } from '../participate/IdeaText.tsx'

type Load = { status: 'loading' } | { status: 'ready'; rules: GroundRules } | { status: 'error'; message: string }

/** The ground rules, pinned behind one button on every workshop screen (W11). */
export function GroundRulesPanel({ workshopId, token, openedAt }: { workshopId: string; token: string | null; openedAt: number }) {
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  useEffect(() => {
    if (!token) return
    let cancelled = false
    void callApi<GroundRules>(`/api/workshops/${workshopId}/ground-rules`, { token }).then((result) => {
      if (!cancelled) setLoad(result.ok ? { status: 'ready', rules: result.value } : { status: 'error', message: result.message })
    })
    return () => {
      cancelled = true
    }
  }, [workshopId, token, openedAt])

  if (!token) return <p>You will see the ground rules as soon as you join. Until then: be kind, listen, and take a break whenever you need one.</p>
  if (load.status === 'loading') return <p>Getting the ground rules…</p>
  if (load.status === 'error') return <p>We could not get the ground rules right now. {load.message}</p>
  const { rules } = load
  return (
    <>
      <p>{GROUND_RULES_INTRO[rules.status]}</p>
      {rules.rules.length > 0 && (
        <ol className="ground-rules-list">
          {rules.rules.map((rule, index) => (
            <li key={index}>
              <IdeaText idea={{ ideaId: `rule-${index}`, text: rule.text, contentNote: rule.contentNote }} className="rule-text" />
            </li>
          ))}
        </ol>
      )}
    </>
  )
}
