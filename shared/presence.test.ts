import { describe, expect, it } from 'vitest'
import { FACILITATOR_PRESENCE_NAME, newPresenceKey, requestedPresenceKey, sanitisePresence } from './presence.ts'

describe('sanitisePresence', () => {
  it('keeps only the allowlisted fields', () => {
    expect(sanitisePresence({ name: 'Calm Otter', color: '#1F4E79', cursor: [10.4, -3], hidden: false, participantId: 'p1', typing: true })).toEqual({
      name: 'Calm Otter',
      color: '#1f4e79',
      cursor: [10, -3],
      hidden: false,
    })
  })

  it('shortens long names, strips control and bidi characters, and drops bad cursors', () => {
    const presence = sanitisePresence({ name: '\u202eAdmin\u0007' + 'x'.repeat(100), color: 'red', cursor: [Number.NaN, 1] })!
    expect(presence.name).toBe(('Admin' + 'x'.repeat(100)).slice(0, 40))
    expect(presence.color).toBe('#6b7280')
    expect(presence.cursor).toBeNull()
  })

  it('sends no cursor for someone who hid it', () => {
    expect(sanitisePresence({ name: 'A', cursor: [1, 2], hidden: true })?.cursor).toBeNull()
  })

  it('refuses things that are not a presence at all', () => {
    expect(sanitisePresence(null)).toBeNull()
    expect(sanitisePresence([1, 2])).toBeNull()
    expect(sanitisePresence('hello')).toBeNull()
  })

  it('labels the facilitator’s pointer “Facilitator”, and nobody else’s', () => {
    expect(sanitisePresence({ name: 'Calm Otter' }, { facilitator: true })?.name).toBe(FACILITATOR_PRESENCE_NAME)
    expect(sanitisePresence({ name: 'Facilitator' })?.name).toBe('Guest')
    expect(sanitisePresence({ name: 'the FACILITATOR, really' })?.name).toBe('Guest')
  })
})

describe('presence keys', () => {
  it('reads only an unsigned 32-bit key other than 0', () => {
    expect(requestedPresenceKey({ presenceKey: 4242 })).toBe(4242)
    for (const presenceKey of [0, -1, 1.5, 2 ** 32, '4242', null]) expect(requestedPresenceKey({ presenceKey })).toBeNull()
    expect(requestedPresenceKey(null)).toBeNull()
    expect(requestedPresenceKey({})).toBeNull()
  })

  it('makes keys that are valid and differ', () => {
    const keys = new Set(Array.from({ length: 100 }, () => newPresenceKey()))
    expect(keys.size).toBeGreaterThan(95)
    for (const key of keys) expect(requestedPresenceKey({ presenceKey: key })).toBe(key)
  })
})
