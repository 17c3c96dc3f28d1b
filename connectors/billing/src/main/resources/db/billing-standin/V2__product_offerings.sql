-- The catalogue the stand-in sells: one offering per hub service.
INSERT INTO product_offering (id, name, service) VALUES
    ('ims',       'IMS Voice and Video', 'ims'),
    ('messaging', 'RCS Messaging',       'messaging');
