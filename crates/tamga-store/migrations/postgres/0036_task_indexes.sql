-- Fewer index entries for each control task a lodgement opens. A task's officers and its
-- completion are indexed only once they exist (each query on them names a value, which a
-- partial index answers); (office, state) is dropped, as (state, office, opened_at) answers
-- both together and no query asks for an office's tasks by index alone (the list of an
-- office's tasks walks them newest first). An opened task now writes two index entries besides
-- its row, a task allocated to an examiner three, where both wrote six.
DROP INDEX control_tasks_office_state;
DROP INDEX control_tasks_examiner;
CREATE INDEX control_tasks_examiner ON control_tasks (examiner_id, state)
    WHERE examiner_id IS NOT NULL;
DROP INDEX control_tasks_chief;
CREATE INDEX control_tasks_chief ON control_tasks (chief_id, state) WHERE chief_id IS NOT NULL;
DROP INDEX control_tasks_office_completed;
CREATE INDEX control_tasks_office_completed ON control_tasks (office, completed_at)
    WHERE completed_at IS NOT NULL;
