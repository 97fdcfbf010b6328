import { expect, it } from 'vitest'
import { nextThemeName, type PublicTheme } from './themes.ts'

const theme = (name: string): PublicTheme => ({ themeId: name, sectionId: 'values', name, ideaIds: ['a', 'b'] })

it('numbers new themes, filling the first number free, whatever the facilitator renamed', () => {
  expect(nextThemeName([])).toBe('Theme 1')
  expect(nextThemeName([theme('Theme 1')])).toBe('Theme 2')
  expect(nextThemeName([theme('Respect'), theme('Theme 2')])).toBe('Theme 1')
  expect(nextThemeName([theme('Theme 1'), theme('Respect')])).toBe('Theme 2')
  expect(nextThemeName([theme('Theme 1'), theme('Theme 2')])).toBe('Theme 3')
})
