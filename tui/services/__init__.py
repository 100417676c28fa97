"""Use cases: what a desk does, as whole actions on a Repository (each one
transaction). Screens call these; none of them knows how records are stored."""
