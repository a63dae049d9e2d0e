/** PhotoShelter route group: /psapi/v4.0, /psapi/v3 and the image CDN /img-get2. */
import { adminOf } from "../admin";
import type { RouteGroup } from "../server";

export const photoShelterRoutes: RouteGroup = async (_app, context) => {
  adminOf(context).setErrorFormat("/psapi/", (status, title, detail) => ({ errors: [{ id: status === 429 ? "TooManyRequestsException" : "ServiceException", status: String(status), title, detail }] }));
};
