/** The Mantine theme: system fonts and a blue primary color. */
import { createTheme } from '@mantine/core'

/** Theme passed to `MantineProvider`. */
export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  fontFamily: [
    'system-ui',
    '-apple-system',
    '"Segoe UI"',
    'Roboto',
    '"Helvetica Neue"',
    'Arial',
    '"Noto Sans"',
    'sans-serif',
  ].join(', '),
})
