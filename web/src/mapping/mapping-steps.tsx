/** The Accounts → Services → Review stepper shown above each mapping page. */
import { Stepper } from '@mantine/core'
import { useNavigate } from 'react-router-dom'

const STEPS = [
  { path: '/accounts', label: 'Accounts', description: 'Organizations to companies' },
  { path: '/services', label: 'Services', description: 'Products to services' },
  { path: '/review', label: 'Review', description: 'Check and sync' },
]

/** Renders a stepper whose steps link to the three mapping pages, `active` being current. */
export function MappingSteps({ active }: { active: 0 | 1 | 2 }) {
  const navigate = useNavigate()
  return (
    <Stepper
      active={active}
      onStepClick={(step) => {
        const target = STEPS[step]
        if (target) navigate(target.path)
      }}
      size="xs"
      aria-label="Mapping steps"
    >
      {STEPS.map((step) => (
        <Stepper.Step key={step.path} label={step.label} description={step.description} />
      ))}
    </Stepper>
  )
}
