-- 008: when the page says the article was last updated, kept apart from when it was first published
-- (articles.published_at). Read from JSON-LD dateModified, article:modified_time-style meta tags, and
-- "Updated"/"Aktualisiert"/"Mis à jour"/"Actualizado" datelines; NULL when the page gives none or the same
-- instant as the publication. Existing rows stay NULL until they are extracted again.
ALTER TABLE articles ADD COLUMN updated_at TIMESTAMP;  -- UTC (offsets converted); NULL = not given
