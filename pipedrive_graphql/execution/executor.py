"""graphql-core's executor with a short path for fields whose value is already in hand.

A 1,000-object result resolves a few thousand fields, and for each graphql-core builds a
`GraphQLResolveInfo` and a `Path`, walks `complete_value` and asks twice whether the value is
awaitable — around a `getattr`. Three kinds of field skip that here: a scalar read straight off
the source object (`AttributeRead`), a to-one link whose target is already in hand
(`LinkRead`), and a to-many list whose warm-up the parent level's prefetch finished (`warm`):
its resolver would only hand that answer over, through a coroutine per parent. Anything else —
a null where the type forbids it, a value the scalar refuses, an exception, an awaitable, a
warm-up not started or failed — takes graphql-core's own path, so data and errors are the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from types import GeneratorType
from typing import Any, TypeGuard

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    execute,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, Undefined, gather_with_cancel, is_awaitable

from pipedrive_graphql.context import Context
from pipedrive_graphql.execution import warm
from pipedrive_graphql.execution.extras import upstream_extras
from pipedrive_graphql.execution.steps import (
    LinkStep,
    ListStep,
    ObjectsStep,
    ScalarStep,
    Step,
    concrete_object,
    list_step,
    plain_step,
    read_scalar,
)

_awaitable_types: dict[type, bool] = {}


def is_awaitable_cached(value: Any) -> TypeGuard[Awaitable[Any]]:
    """graphql-core's `is_awaitable`, answered once per type (`await` looks at the type)."""
    kind = type(value)
    known = _awaitable_types.get(kind)
    if known is None:
        known = is_awaitable(value)
        # a generator's answer depends on its code flags; the type map stays small
        if kind is not GeneratorType and len(_awaitable_types) < 1024:
            _awaitable_types[kind] = known
    return known


def execute_request(
    schema: GraphQLSchema,
    document: DocumentNode,
    context: object,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
    root_value: object = None,
) -> AwaitableOrValue[ExecutionResult]:
    """graphql-core's `execute` with this module's executor, as the endpoint runs every request.

    The request's loaders first learn which upstream extras the selection needs (`extras`).
    A subscription event is executed the same way, with the event as `root_value`.
    """
    loaders = getattr(context, "loaders", None)
    if loaders is not None:
        loaders.extras = upstream_extras(schema, document)
    return execute(
        schema,
        document,
        root_value=root_value,
        context_value=context,
        variable_values=variables,
        operation_name=operation_name,
        executor_class=PlainFieldExecutor,
        is_awaitable=is_awaitable_cached,
    )


class PlainFieldExecutor(Executor[None]):
    """graphql-core's executor, with plain scalar reads and ready links inlined.

    Built on the plain `Executor`, not the incremental one `execute` defaults to: the schema
    declares no `@defer`/`@stream`, so validation refuses them before execution, and the
    incremental executor's per-request set-up is a tenth of a trivial query's time.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As graphql-core's executor; adds the per-operation plan cache."""
        super().__init__(*args, **kwargs)
        # keyed by id(): grouped field sets are memoized per execution, kept alive here
        self._plans: dict[tuple[str, int], tuple[GroupedFieldSet, list[Step]]] = {}

    def _plan(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> list[Step]:
        key = (parent_type.name, id(fields))
        cached = self._plans.get(key)
        if cached is not None and cached[0] is fields:
            return cached[1]
        steps = [self._step(parent_type, name, details) for name, details in fields.items()]
        self._plans[key] = (fields, steps)
        return steps

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        """As graphql-core's `execute_fields`, resolving plain fields without `info`."""
        if self.middleware_manager is not None or path is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for step in self._plan(parent_type, grouped_field_set):
                if isinstance(step, ScalarStep):
                    if read_scalar(step, source_value, results):
                        continue
                    name, details = step.response_name, step.details
                elif isinstance(step, LinkStep):
                    name, details = step.response_name, step.details
                    if self._follow_link(
                        step, parent_type, source_value, path, results, position_context
                    ):
                        if is_awaitable(results[name]):
                            awaitable_fields.append(name)
                        continue
                elif isinstance(step, ObjectsStep):
                    name, details = step.response_name, step.details
                    if self._read_objects(
                        step, parent_type, source_value, path, results, position_context
                    ):
                        if is_awaitable(results[name]):
                            awaitable_fields.append(name)
                        continue
                elif isinstance(step, ListStep):
                    name, details = step.response_name, step.details
                    if self._take_list(step, parent_type, source_value, path, results):
                        if is_awaitable(results[name]):
                            awaitable_fields.append(name)
                        continue
                else:
                    name, details = step
                field_path = Path(path, name, parent_type.name)
                result = self.execute_field(
                    parent_type, source_value, details, field_path, position_context
                )
                if result is not Undefined:
                    results[name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(name)
        except Exception:
            if awaitable_fields:  # settle what other fields started, as graphql-core does
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def awaited() -> dict[str, Any]:
            if len(awaitable_fields) == 1:  # as graphql-core: one field needs no gathering
                only = awaitable_fields[0]
                results[only] = await results[only]
                return results
            values = await gather_with_cancel(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, values, strict=True))
            return results

        return awaited()

    def _follow_link(
        self,
        step: LinkStep,
        parent_type: GraphQLObjectType,
        source: Any,
        path: Path,
        results: dict[str, Any],
        position_context: Any,
    ) -> bool:
        """Complete a link whose target is in hand; False leaves the field to graphql-core."""
        try:
            value = step.link.follow(self.context_value, source)
        except Exception:  # following is a pure lookup: graphql-core follows it again
            return False
        if value is None or isinstance(value, Exception):
            if value is not None or not step.nullable:
                return False
            results[step.response_name] = None
            return True
        field_path = Path(path, step.response_name, parent_type.name)
        if self.is_awaitable(value):
            nodes = [detail.node for detail in step.details]
            info = self.build_resolve_info(step.field, nodes, parent_type, field_path)
            results[step.response_name] = self.complete_awaitable_value(
                step.field.type, step.details, info, field_path, value, position_context
            )
            return True
        results[step.response_name] = self._complete_in_hand(step, field_path, value)
        return True

    def _read_objects(
        self,
        step: ObjectsStep,
        parent_type: GraphQLObjectType,
        source: Any,
        path: Path,
        results: dict[str, Any],
        position_context: Any,
    ) -> bool:
        """Complete a list of objects read off the source; False leaves it to graphql-core."""
        try:
            items = getattr(source, step.attribute)
        except Exception:  # a pure read: graphql-core reads it again and reports the error
            return False
        if not isinstance(items, list | tuple) or any(item is None for item in items):
            return False  # graphql-core's checks and messages for these
        field_path = Path(path, step.response_name, parent_type.name)
        try:
            completed = self._complete_objects(step, field_path, items, position_context)
        except Exception as raw_error:
            self.handle_field_error(raw_error, step.field.type, step.details, field_path)
            completed = None
        results[step.response_name] = completed
        return True

    def _complete_objects(
        self, step: ObjectsStep, path: Path, items: Sequence[object], position_context: Any
    ) -> Any:
        """As graphql-core's `complete_iterable_value` for objects in hand.

        The items share one type and selection: their subfields are collected once for all
        (`collect_and_execute_subfields` per item, which then runs `execute_fields` with no
        position context, would look them up again for each).
        """
        completed: list[Any] = []
        pending: list[int] = []
        target = step.target
        grouped = self.collect_subfields(target, step.details)[0]
        execute_fields = self.execute_fields
        try:
            for index, item in enumerate(items):
                item_path = path.add_key(index, None)
                try:
                    value = execute_fields(target, item, item_path, grouped, None)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, step.item_type, step.details, item_path)
                    value = None
                if self.is_awaitable(value):
                    value = self._settled_item(value, step.item_type, step.details, item_path)
                    pending.append(index)
                completed.append(value)
        except Exception:
            if pending:  # settle what other items started, as graphql-core does
                self.settle_in_background([completed[index] for index in pending])
            raise
        if not pending:
            return completed
        return self._gathered(step, path, completed, pending)

    async def _gathered(
        self, step: ObjectsStep, path: Path, completed: list[Any], pending: list[int]
    ) -> Any:
        try:
            values = await gather_with_cancel(*(completed[index] for index in pending))
        except Exception as raw_error:
            self.handle_field_error(raw_error, step.field.type, step.details, path)
            return None
        for index, value in zip(pending, values, strict=True):
            completed[index] = value
        return completed

    def _take_list(
        self,
        step: ListStep,
        parent_type: GraphQLObjectType,
        source: Any,
        path: Path,
        results: dict[str, Any],
    ) -> bool:
        """Complete a list its warm-up answered; False leaves the field to its resolver."""
        value = warm.answer(self.context_value, step.warm_up, source, step.arguments)
        if value is None:
            return False
        field_path = Path(path, step.response_name, parent_type.name)
        results[step.response_name] = self._complete_in_hand(step, field_path, value)
        return True

    def _complete_in_hand(self, step: LinkStep | ListStep, path: Path, value: object) -> Any:
        """The completed object `value` of a link or list step, or an awaitable of it.

        As graphql-core's `collect_and_execute_subfields`, without its two calls in between.
        """
        try:
            grouped = self.collect_subfields(step.target, step.details)[0]
            completed = self.execute_fields(step.target, value, path, grouped, None)
        except Exception as raw_error:
            self.handle_field_error(raw_error, step.field.type, step.details, path)
            return None
        if self.is_awaitable(completed):
            return self._settled(completed, step, path)
        return completed

    def _step(self, parent_type: GraphQLObjectType, name: str, details: FieldDetailsList) -> Step:
        plain = plain_step(parent_type, name, details)
        if plain is not None:
            return plain
        if isinstance(self.context_value, Context):  # where the prefetch keeps its warm-ups
            return list_step(parent_type, name, details, self.variable_values) or (name, details)
        return (name, details)

    def complete_list_item_value(
        self,
        item: Any,
        complete_results: list[Any],
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        item_path: Path,
        position_context: Any,
    ) -> bool:
        """As graphql-core's, going straight to the subfields of an object item in hand."""
        object_type = concrete_object(item_type)
        if object_type is None or item is None:
            return super().complete_list_item_value(
                item,
                complete_results,
                item_type,
                field_details_list,
                info,
                item_path,
                position_context,
            )
        try:
            completed = self.collect_and_execute_subfields(
                object_type, field_details_list, item_path, item, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, item_type, field_details_list, item_path)
            complete_results.append(None)
            return False
        if self.is_awaitable(completed):
            complete_results.append(
                self._settled_item(completed, item_type, field_details_list, item_path)
            )
            return True
        complete_results.append(completed)
        return False

    async def _settled_item(
        self,
        completed: Awaitable[Any],
        item_type: GraphQLOutputType,
        details: FieldDetailsList,
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, item_type, details, path)
            return None

    async def _settled(
        self, completed: Awaitable[Any], step: LinkStep | ListStep, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, step.field.type, step.details, path)
            return None
