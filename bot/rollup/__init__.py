"""The roll-up for the city's and province's organisation departments (市委/省委组织部): one bot over every county of
a deployment, reading each county's database (SQLite files read-only, or PostgreSQL) and writing into a county
only the tasks issued from above, through that county's own unit of work."""
