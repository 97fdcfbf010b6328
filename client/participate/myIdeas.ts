import type { StateView } from '../../shared/stateDoc.ts'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { AddedIdea } from '../../shared/intents.ts'
import type { OptOutAnswer, OwnIdea } from '../../shared/ideas.ts'
import { callApi, type ApiResult } from '../api.ts'
import { workshopKeyPrefix } from '../leave/deviceData.ts'

/**
 * My own ideas: their author keys live only on this device (the server keeps hashes), and
 * their text and status come from the server, which answers only with the matching key.
 */
interface StoredKey {
  ideaId: string
  authorKey: string
}

const storageKey = (workshopId: string) => `${workshopKeyPrefix(workshopId)}ideas`

/** The author keys this device holds for a workshop (also what a printed receipt carries). */
export function readKeys(workshopId: string): StoredKey[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(workshopId)) ?? '[]')
    return Array.isArray(parsed) ? (parsed as StoredKey[]).filter((k) => typeof k?.ideaId === 'string' && typeof k?.authorKey === 'string') : []
  } catch {
    // Unreadable storage: start with no remembered ideas rather than fail.
    return []
  }
}

function writeKeys(workshopId: string, keys: StoredKey[]): void {
  try {
    localStorage.setItem(storageKey(workshopId), JSON.stringify(keys))
  } catch {
    // Storage full or blocked: the ideas still exist; only this list is not remembered.
  }
}

const newIdempotencyKey = () => crypto.randomUUID()

export interface MyIdeas {
  ideas: OwnIdea[]
  add(sectionId: string, text: string, kind?: 'idea' | 'suggestion', options?: { contentNote?: string; idempotencyKey?: string }): Promise<ApiResult<AddedIdea>>
  setContentNote(ideaId: string, note: string): Promise<ApiResult<{ contentNote: string | null }>>
  edit(ideaId: string, text: string): Promise<ApiResult<OwnIdea>>
  withdraw(ideaId: string): Promise<ApiResult<OwnIdea>>
  /** Undo of withdrawing an idea nobody has seen yet: its words go back to the server. */
  restore(ideaId: string, text: string): Promise<ApiResult<OwnIdea>>
  /** After the vote opened: keep the idea, leave its text out of exports. */
  /** `fromTomorrow`: left out from tomorrow even if nobody else asks (its author was told what that gives away). */
  leaveOutOfExports(ideaId: string, fromTomorrow?: boolean): Promise<ApiResult<OptOutAnswer>>
  /** To another section, before the vote. */
  move(ideaId: string, sectionId: string): Promise<ApiResult<OwnIdea>>
  refresh(): Promise<void>
}

/**
 * What in the shared state can change my own ideas' status: the ideas shown (and their status)
 * and what waits in each section. The same for every device, so every device asks at the same moments.
 */
export function ideasVersion(view: StateView | null): string {
  if (!view) return ''
  return `${view.ideas.map((idea) => `${idea.ideaId}:${idea.status}`).join(',')}|${view.sections.map((section) => `${section.sectionId}:${section.pendingCount}:${section.phase}`).join(',')}`
}

export function useMyIdeas(workshopId: string, token: string | null, stateVersion: unknown): MyIdeas {
  const [ideas, setIdeas] = useState<OwnIdea[]>([])
  // Only the latest read may land: an older answer (fewer keys) arriving last would hide an idea
  // until the shared state next changes, and the waiting count no longer changes with each Send.
  const latestRead = useRef(0)

  const refresh = useCallback(async () => {
    const read = ++latestRead.current
    const keys = readKeys(workshopId)
    if (!token) return setIdeas([])
    // Asked with no ideas too: if only authors' devices asked at each change, the requests alone
    // would show which devices have written something.
    const result = await callApi<{ ideas: OwnIdea[] }>(`/api/workshops/${workshopId}/ideas/mine`, { body: { ideas: keys }, token })
    if (result.ok && read === latestRead.current) setIdeas(result.value.ideas)
  }, [workshopId, token])

  // Re-read when what my ideas' fate depends on changes (a reveal or batch moves them from waiting
  // to shown, the facilitator hides or merges): not at every change of the shared state, which
  // comes with every ballot, and every device asks, so requests grew with the square of the room.
  useEffect(() => {
    void refresh()
  }, [refresh, stateVersion])

  const keyFor = (ideaId: string) => readKeys(workshopId).find((k) => k.ideaId === ideaId)?.authorKey ?? ''

  return {
    ideas,
    refresh,
    async add(sectionId, text, kind = 'idea', options = {}) {
      // The same key on a retry makes the server return the same idea instead of a second one.
      const idempotencyKey = options.idempotencyKey ?? newIdempotencyKey()
      const contentNote = options.contentNote?.trim()
      let result: ApiResult<AddedIdea> = { ok: false, status: 0, message: '' }
      for (let attempt = 0; attempt < 3; attempt++) {
        result = await callApi<AddedIdea>(`/api/workshops/${workshopId}/sections/${sectionId}/${kind === 'idea' ? 'ideas' : 'suggestions'}`, {
          token,
          headers: { 'idempotency-key': idempotencyKey },
          body: { text, ...(contentNote ? { contentNote } : {}) },
        })
        // Offline: no point waiting here; the form sends again when the browser is back online.
        if (result.ok || result.status !== 0 || !navigator.onLine) break
        await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)))
      }
      if (result.ok) {
        writeKeys(workshopId, [...readKeys(workshopId), { ideaId: result.value.ideaId, authorKey: result.value.authorKey }])
        await refresh()
      }
      return result
    },
    async edit(ideaId, text) {
      const result = await callApi<OwnIdea>(`/api/workshops/${workshopId}/ideas/${ideaId}`, { method: 'PATCH', token, headers: { 'x-author-key': keyFor(ideaId) }, body: { text } })
      if (result.ok) await refresh()
      return result
    },
    async setContentNote(ideaId, note) {
      const result = await callApi<{ contentNote: string | null }>(`/api/workshops/${workshopId}/ideas/${ideaId}/content-note`, {
        method: 'PUT',
        token,
        headers: { 'x-author-key': keyFor(ideaId) },
        body: { note },
      })
      if (result.ok) await refresh()
      return result
    },
    async leaveOutOfExports(ideaId, fromTomorrow = false) {
      return callApi<OptOutAnswer>(`/api/workshops/${workshopId}/ideas/${ideaId}/export-hidden`, {
        method: 'PUT',
        token,
        headers: { 'x-author-key': keyFor(ideaId) },
        ...(fromTomorrow ? { body: { fromTomorrow: true } } : {}),
      })
    },
    async move(ideaId, sectionId) {
      const result = await callApi<OwnIdea>(`/api/workshops/${workshopId}/ideas/${ideaId}/move`, { method: 'POST', token, headers: { 'x-author-key': keyFor(ideaId) }, body: { sectionId } })
      if (result.ok) await refresh()
      return result
    },
    async restore(ideaId, text) {
      const result = await callApi<OwnIdea>(`/api/workshops/${workshopId}/ideas/${ideaId}/restore`, { method: 'POST', token, headers: { 'x-author-key': keyFor(ideaId) }, body: { text } })
      if (result.ok) await refresh()
      return result
    },
    async withdraw(ideaId) {
      const result = await callApi<OwnIdea>(`/api/workshops/${workshopId}/ideas/${ideaId}`, { method: 'DELETE', token, headers: { 'x-author-key': keyFor(ideaId) } })
      if (result.ok) await refresh()
      return result
    },
  }
}
