-- AWS: a renewal is its own offer (a renewal only after a first grant; domain.md, "AWS").
-- The shipped catalogue's renewal becomes one; any other AWS product stays a first grant.
update product set offer = 'aws_renewal' where slug = 'aws-credit-grant-2000-usd-renewal' and offer = 'standard';
