/** Service mapping: drag PSA catalog products onto the eight NinjaOne services. */
import {
  type Announcements,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
} from '@dnd-kit/core'
import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { CatalogProduct, ServicesView } from '../api/types.ts'
import { EmptyMessage, ErrorState, LoadingState } from '../components/page-state.tsx'
import { Board, BoardColumn } from './mapping-board.tsx'
import { MappingDndContext } from './mapping-dnd-context.tsx'
import { MappingSteps } from './mapping-steps.tsx'
import { ProductCard, ProductSummary, ServiceCard } from './service-cards.tsx'
import { useMapService, useUnmapService } from './service-mutations.ts'

const SCREEN_READER_INSTRUCTIONS =
  'To map a product, focus its grip and press Space or Enter to pick it up. Use the arrow ' +
  'keys to move between services, then press Space or Enter to drop it on one. Press Escape ' +
  'to cancel.'

function useAnnouncements(view: ServicesView): Announcements {
  return useMemo(() => {
    const productName = (id: unknown) =>
      view.unmappedProducts.find((product) => `product-${product.id}` === id)?.name ?? 'the product'
    const serviceName = (over: { data: { current?: Record<string, unknown> } } | null) =>
      String(over?.data.current?.service ?? 'a service')
    return {
      onDragStart: ({ active }) => `Picked up ${productName(active.id)}.`,
      onDragOver: ({ active, over }) =>
        over
          ? `${productName(active.id)} is over ${serviceName(over)}.`
          : `${productName(active.id)} is over no service.`,
      onDragEnd: ({ active, over }) =>
        over
          ? `${productName(active.id)} mapped to ${serviceName(over)}.`
          : `${productName(active.id)} dropped outside the services; nothing changed.`,
      onDragCancel: ({ active }) => `Cancelled. ${productName(active.id)} is unchanged.`,
    }
  }, [view])
}

function ProductColumn({
  view,
  products,
  serviceNames,
  onMap,
}: {
  view: ServicesView
  products: CatalogProduct[]
  serviceNames: string[]
  onMap: (service: string, productId: number) => void
}) {
  return (
    <BoardColumn
      title="PSA catalog products"
      count={`${view.unmappedProducts.length} unmapped`}
      testId="product-column"
    >
      {products.length === 0 && (
        <Text size="sm" c="dimmed" p="sm">
          {view.unmappedProducts.length === 0
            ? 'Every catalog product is mapped.'
            : 'No product matches the search.'}
        </Text>
      )}
      {products.map((product) => (
        <ProductCard
          key={product.id}
          product={product}
          services={serviceNames}
          onMap={(service) => onMap(service, product.id)}
        />
      ))}
    </BoardColumn>
  )
}

function ServiceColumn({
  view,
  onUnmap,
}: {
  view: ServicesView
  onUnmap: (productId: number) => void
}) {
  const mappedCount = view.services.filter((row) => row.products.length > 0).length
  return (
    <BoardColumn
      title="NinjaOne services"
      count={`${mappedCount} of ${view.services.length} mapped`}
      testId="service-column"
    >
      {view.services.map((row) => (
        <ServiceCard key={row.service} row={row} onUnmap={onUnmap} />
      ))}
    </BoardColumn>
  )
}

function ServicesBoard({ view }: { view: ServicesView }) {
  const [search, setSearch] = useState('')
  const [dragged, setDragged] = useState<CatalogProduct | null>(null)
  const announcements = useAnnouncements(view)
  const mapService = useMapService()
  const unmapService = useUnmapService()
  const serviceNames = useMemo(() => view.services.map((row) => row.service), [view.services])
  const needle = search.trim().toLowerCase()
  const products = view.unmappedProducts.filter((product) =>
    `${product.name} ${product.identifier ?? ''}`.toLowerCase().includes(needle),
  )

  const onDragStart = (event: DragStartEvent) => {
    const id = event.active.data.current?.productId
    setDragged(view.unmappedProducts.find((product) => product.id === id) ?? null)
  }
  const onDragEnd = (event: DragEndEvent) => {
    setDragged(null)
    const productId = event.active.data.current?.productId
    const service = event.over?.data.current?.service
    if (typeof productId === 'number' && typeof service === 'string') {
      mapService.mutate({ service, productId })
    }
  }

  return (
    <Stack gap="sm">
      <TextInput
        aria-label="Search products"
        placeholder="Search products by name or identifier"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        w={320}
      />
      <MappingDndContext
        announcements={announcements}
        instructions={SCREEN_READER_INSTRUCTIONS}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragged(null)}
      >
        <Board>
          <ProductColumn
            view={view}
            products={products}
            serviceNames={serviceNames}
            onMap={(service, productId) => mapService.mutate({ service, productId })}
          />
          <ServiceColumn view={view} onUnmap={(productId) => unmapService.mutate(productId)} />
        </Board>
        <DragOverlay>
          {dragged && (
            <Paper withBorder p="xs" className="drag-overlay-card" w={360}>
              <ProductSummary product={dragged} />
            </Paper>
          )}
        </DragOverlay>
      </MappingDndContext>
    </Stack>
  )
}

function isEmpty(view: ServicesView): boolean {
  return view.unmappedProducts.length === 0 && view.services.every((row) => !row.products.length)
}

/** Renders the service mapping page, second of the three mapping steps. */
export function ServicesPage() {
  const services = useQuery({ queryKey: keys.services, queryFn: api.services })

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Services
        </Title>
        <Group gap="xs">
          <Button component={Link} to="/accounts" variant="default">
            Back: accounts
          </Button>
          <Button component={Link} to="/review">
            Next: review
          </Button>
        </Group>
      </Group>
      <MappingSteps active={1} />
      {services.isPending && <LoadingState label="Loading services and the PSA catalog…" />}
      {services.isError && (
        <ErrorState
          title="Could not load services"
          error={services.error}
          onRetry={() => void services.refetch()}
        />
      )}
      {services.data && isEmpty(services.data) && (
        <EmptyMessage
          title="No PSA catalog yet"
          description="Products appear after a sync with a connected PSA."
          action={
            <Button component={Link} to="/integrations">
              Go to integrations
            </Button>
          }
        />
      )}
      {services.data && !isEmpty(services.data) && <ServicesBoard view={services.data} />}
    </Stack>
  )
}
