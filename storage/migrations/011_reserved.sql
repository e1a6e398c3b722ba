-- Reserved: the number of a migration made on another line of work at the same time (filing is 012).
SELECT 1;
