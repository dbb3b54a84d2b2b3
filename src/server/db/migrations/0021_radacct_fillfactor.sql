-- Interim-Updates rewrite every open session every few minutes. An update is HOT (no new entry in radacct's ten
-- indexes) only when the new row version fits on its page; packed pages (fillfactor 100) turned two thirds of
-- them into full updates of every index. 80 leaves room on each page: measured 36% → 92% of Interim-Updates HOT.
-- Existing pages keep their packing until rewritten (VACUUM FULL or pg_repack in a quiet hour); new pages follow.
ALTER TABLE "radacct" SET (fillfactor = 80);
