import { errors, jwtVerify, SignJWT } from 'jose';
import { apiError } from '../http/apiErrors.ts';

/** What an access token says: the user and the session (login) it belongs to. */
export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
}

/** Signing/verification settings of access tokens. */
export interface AccessTokenSettings {
  secret: Uint8Array;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** A signed HS256 JWT with `sub`, `sid`, `iss`, `aud`, `iat` and `exp` = now + ttl. */
export async function signAccessToken(
  claims: AccessTokenClaims,
  settings: AccessTokenSettings,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + settings.ttlSeconds;
  const token = await new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(settings.secret);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/**
 * The claims of a valid token; `TOKEN_EXPIRED` past `exp`, `TOKEN_INVALID` for a bad signature,
 * algorithm, issuer, audience or shape.
 */
export async function verifyAccessToken(
  token: string,
  settings: AccessTokenSettings,
  now: Date,
): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, settings.secret, {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      currentDate: now,
      requiredClaims: ['exp', 'sub', 'sid'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
      throw apiError('TOKEN_INVALID', 'the access token is malformed');
    }
    return { userId: payload.sub, sessionId: payload.sid };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw apiError(
        'TOKEN_EXPIRED',
        'the access token has expired; refresh it with POST /v1/sessions/refresh',
      );
    }
    throw apiError('TOKEN_INVALID', 'the access token is not valid');
  }
}
