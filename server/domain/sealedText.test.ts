import { describe, expect, it } from 'vitest'
import { sealKeyOf } from './tokens.ts'
import { openText, sealText } from './sealedText.ts'

describe('sealed text', () => {
  const key = sealKeyOf('a-token')

  it('opens with the same token and scope only', () => {
    const sealed = sealText(key, 'perspective/w1', 'carer')
    expect(openText(key, 'perspective/w1', sealed)).toBe('carer')
    expect(openText(sealKeyOf('another-token'), 'perspective/w1', sealed)).toBeNull()
    expect(openText(key, 'perspective/w2', sealed)).toBeNull()
    expect(openText(key, 'perspective/w1', `${sealed.slice(0, -2)}AA`)).toBeNull()
    expect(openText(key, 'perspective/w1', 'not sealed')).toBeNull()
  })

  it('gives every answer the same length, and the same answer a different value each time', () => {
    const values = ['', 'carer', 'manager-or-commissioner'].map((text) => sealText(key, 'p', text))
    expect(new Set(values.map((v) => v.length)).size).toBe(1)
    expect(openText(key, 'p', values[0]!)).toBe('')
    expect(sealText(key, 'p', 'carer')).not.toBe(sealText(key, 'p', 'carer'))
  })
})
