import { describe, expect, it } from 'vitest'
import { splitPhoneNumbers } from './phoneNumbers.ts'

describe('support numbers become links', () => {
  it('links numbers to call, and numbers to text as sms', () => {
    expect(splitPhoneNumbers('Samaritans: call 116 123, free, day or night.')).toEqual([
      { text: 'Samaritans: call ' },
      { text: '116 123', href: 'tel:116123' },
      { text: ', free, day or night.' },
    ])
    expect(splitPhoneNumbers('If you are in danger now, call 999.')).toContainEqual({ text: '999', href: 'tel:999' })
    expect(splitPhoneNumbers('Shout: text SHOUT to 85258, free.')).toContainEqual({ text: '85258', href: 'sms:85258' })
    expect(splitPhoneNumbers('Sam, on-site support: 07700 900123')).toContainEqual({ text: '07700 900123', href: 'tel:07700900123' })
    expect(splitPhoneNumbers('Helpline +44 20 7946 0958')).toContainEqual({ text: '+44 20 7946 0958', href: 'tel:+442079460958' })
  })

  it('leaves short numbers that are not phone numbers as text', () => {
    expect(splitPhoneNumbers('Quiet room: Room 204, open 24/7')).toEqual([{ text: 'Quiet room: Room 204, open 24/7' }])
  })
})
